import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defaultCommandMenu } from '../../../adapters/default-menu';
import { discordCommands } from '../../../adapters/discord/commands';
import { loadConfig } from '../../../src/config/config';
import { LOCALES, LOCALES_FOLDER, localesIn } from '../../../src/i18n/locales';
import { discordMenus, teamsMenus, telegramMenus } from './platform-menus';

/**
 * Adding a language is adding a folder: a copy of locales/ with `it` (a language Discord offers)
 * and `xx` (one it does not), each a copy of en/ with its own name, and nothing else edited.
 */
describe('a new folder in locales/', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'locales-'));
    cpSync(LOCALES_FOLDER, dir, { recursive: true });
    for (const [locale, name] of [
      ['it', 'Italiano'],
      ['xx', 'Xish'],
    ] as const) {
      cpSync(path.join(dir, 'en'), path.join(dir, locale), { recursive: true });
      const file = path.join(dir, locale, 'translation.json');
      const texts = JSON.parse(readFileSync(file, 'utf8')) as { language: { name: string } };
      texts.language.name = name;
      writeFileSync(file, JSON.stringify(texts));
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is a supported locale, after the base one', () => {
    expect(localesIn(dir)).toEqual(['en', 'de', 'es', 'fr', 'it', 'xx']);
    expect(localesIn(LOCALES_FOLDER)).toEqual(LOCALES);
  });

  it('gets its own Telegram command list', async () => {
    const menus = await telegramMenus(defaultCommandMenu(dir));
    expect([...menus.keys()]).toEqual(['en', 'de', 'es', 'fr', 'it', 'xx']);
    expect(menus.get('it')!.get('privacy')).toBe(menus.get('en')!.get('privacy'));
  });

  it('gets Discord localizations where Discord has the language, and a /language choice in any case', () => {
    const menu = defaultCommandMenu(dir);
    expect([...discordMenus(menu, 'en').keys()]).toEqual(['en', 'de', 'es', 'fr', 'it']);
    const commands = discordCommands(menu);
    const privacy = commands.find((command) => command.name === 'privacy')!;
    expect(privacy.description_localizations?.it).toBe(privacy.description);
    const language = commands.find((command) => command.name === 'language')!.options![0]!;
    const choices = 'choices' in language ? (language.choices ?? []) : [];
    expect(choices.map((choice) => [choice.value, choice.name])).toEqual([
      ['en', 'English'],
      ['de', 'Deutsch'],
      ['es', 'Español'],
      ['fr', 'Français'],
      ['it', 'Italiano'],
      ['xx', 'Xish'],
    ]);
  });

  it('becomes a language of the Teams app, with its own language file', () => {
    const { manifest, files, menus } = teamsMenus(dir);
    expect(manifest.localizationInfo.additionalLanguages).toEqual([
      { languageTag: 'de', file: 'de.json' },
      { languageTag: 'es', file: 'es.json' },
      { languageTag: 'fr', file: 'fr.json' },
      { languageTag: 'it', file: 'it.json' },
      { languageTag: 'xx', file: 'xx.json' },
    ]);
    expect((files.get('it.json') as Record<string, string>)['name.short']).toBe('Privacy-first bot');
    expect(menus.get('xx')!.get('delete')).toBe(menus.get('en')!.get('delete'));
  });

  it('is what DEFAULT_LOCALE accepts: every folder of locales/, and nothing else', () => {
    for (const locale of localesIn(LOCALES_FOLDER))
      expect(loadConfig({ DEFAULT_LOCALE: locale }).defaultLocale).toBe(locale);
    expect(() => loadConfig({ DEFAULT_LOCALE: 'xx' })).toThrow(/DEFAULT_LOCALE/);
    expect(loadConfig({}).defaultLocale).toBe('en');
  });
});
