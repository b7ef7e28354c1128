import { readFileSync } from 'node:fs';
import path from 'node:path';
import { COMMAND_MENU } from '../../../dialogs/command-menu';
import { LOCALES, LOCALES_FOLDER } from '../../../src/i18n/locales';
import { startTestApp } from '../../support/test-app';

function commandTexts(locale: string): Record<string, { description: string }> {
  const file = path.join(LOCALES_FOLDER, locale, 'translation.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { commands: Record<string, { description: string }> })
    .commands;
}

/** The terminal (and every other channel) answers /help with the menu the platforms show. */
describe('/help and /language', () => {
  let harness: Awaited<ReturnType<typeof startTestApp>>;
  beforeEach(async () => {
    harness = await startTestApp();
  });
  afterEach(async () => harness.db.drop());

  it.each([
    ['en', 'en-GB', ': '],
    ['fr', 'fr-FR', ' : '],
  ])('lists every menu command with its %s description, in menu order', async (locale, hint, separator) => {
    const [help] = await harness.chat(`person-${locale}`, { localeHint: hint }).send('/help');
    const lines = help!.text.split('\n');
    const texts = commandTexts(locale);
    const expected = COMMAND_MENU.map(
      (entry) => `${entry.command}${separator}${texts[entry.command.slice(1)]!.description}`,
    );
    expect(lines.filter((line) => line.startsWith('/'))).toEqual(expected);
  });

  it('/language offers every locale folder, each by the name its own file gives it', async () => {
    const [choose] = await harness.chat('person-de', { localeHint: 'de-DE' }).send('/language');
    const ownNames = LOCALES.map(
      (locale) =>
        (
          JSON.parse(readFileSync(path.join(LOCALES_FOLDER, locale, 'translation.json'), 'utf8')) as {
            language: { name: string };
          }
        ).language.name,
    );
    expect(choose!.actions?.map((action) => [action.id, action.label])).toEqual(
      LOCALES.map((locale, i) => [`language:set:${locale}`, ownNames[i]]),
    );
    expect(ownNames).toEqual(expect.arrayContaining(['English', 'Deutsch', 'Español', 'Français']));
    expect(new Set(ownNames).size).toBe(LOCALES.length);
  });
});
