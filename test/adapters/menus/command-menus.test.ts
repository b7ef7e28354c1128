import { readFileSync } from 'node:fs';
import path from 'node:path';
import { defaultCommandMenu } from '../../../adapters/default-menu';
import { discordCommands } from '../../../adapters/discord/commands';
import { TEAMS_LIST_MAX } from '../../../adapters/teams/commands';
import { COMMAND_MENU } from '../../../dialogs/command-menu';
import { createDialogs } from '../../../dialogs';
import { createDialogRegistry } from '../../../src/engine/dialog-registry';
import { LOCALES, LOCALES_FOLDER } from '../../../src/i18n/locales';
import { PURPOSES } from '../../../src/privacy/purposes';
import { PRIVACY_COMMAND_NAMES } from './expected-commands';
import { discordMenus, firstDiscordCode, teamsMenus, telegramMenus } from './platform-menus';

type Json = { [key: string]: Json } | string | Json[];

function localeFile(locale: string): Record<string, Json> {
  return JSON.parse(readFileSync(path.join(LOCALES_FOLDER, locale, 'translation.json'), 'utf8')) as Record<
    string,
    Json
  >;
}

function stringsIn(value: Json | undefined): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  return value ? Object.values(value).flatMap(stringsIn) : [];
}

describe('command menus generated from the dialog registry and locales/', () => {
  const menu = defaultCommandMenu();

  it('are built for every locale folder, privacy commands declared once', () => {
    // The four shipped languages, English first; a folder a forker adds joins without edits here.
    expect(LOCALES[0]).toBe('en');
    expect(LOCALES).toEqual(expect.arrayContaining(['en', 'de', 'es', 'fr']));
    expect(menu.locales).toEqual(LOCALES);
    expect(COMMAND_MENU.filter((entry) => entry.privacy).map((entry) => entry.command)).toEqual(
      PRIVACY_COMMAND_NAMES.map((name) => `/${name}`),
    );
  });

  it('list the same privacy commands with the locale files’ descriptions on Telegram, Discord and Teams, in all four languages', async () => {
    const platforms = {
      telegram: await telegramMenus(menu),
      discord: discordMenus(menu, 'en'),
      teams: teamsMenus().menus,
    };
    for (const locale of LOCALES) {
      const commands = localeFile(locale).commands as Record<string, { description: string }>;
      const expected = PRIVACY_COMMAND_NAMES.map((name) => [name, commands[name]!.description]);
      for (const [platform, menus] of Object.entries(platforms)) {
        const shown = menus.get(locale);
        expect({
          platform,
          locale,
          privacy: PRIVACY_COMMAND_NAMES.map((name) => [name, shown?.get(name)]),
        }).toEqual({
          platform,
          locale,
          privacy: expected,
        });
      }
    }
  });

  it('leave out only what a platform cannot take: Teams keeps its 10, without /language and /start', async () => {
    const all = COMMAND_MENU.map((entry) => entry.command.slice(1));
    expect([...(await telegramMenus(menu)).get('en')!.keys()]).toEqual(all);
    expect(discordCommands(menu).map((command) => command.name)).toEqual(all);
    const { manifest } = teamsMenus();
    const [personal, groups] = manifest.bots[0]!.commandLists;
    expect(personal!.commands.map((command) => command.title)).toEqual(all.slice(0, TEAMS_LIST_MAX));
    expect(all.slice(TEAMS_LIST_MAX)).toEqual(['language', 'start']);
    expect(groups!.commands.length).toBeLessThanOrEqual(TEAMS_LIST_MAX);
  });

  it('take every name and description a channel shows from the locale files', () => {
    const allowed = new Map(
      LOCALES.map((locale) => {
        const file = localeFile(locale);
        const ownNames = LOCALES.map((other) => (localeFile(other).language as Record<string, string>).name!);
        return [locale, new Set([...stringsIn(file.commands), ...stringsIn(file.purposes), ...ownNames])];
      }),
    );
    const foreign: string[] = [];
    const check = (where: string, locale: string, text: string | undefined) => {
      if (!allowed.get(locale)!.has(text ?? '')) foreign.push(`${where} (${locale}): ${text}`);
    };
    const discordLocale = (code: string) =>
      LOCALES.find((locale) => code === locale || code.startsWith(`${locale}-`))!;
    for (const command of discordCommands(menu)) {
      check(`discord /${command.name}`, 'en', command.description);
      for (const [code, text] of Object.entries(command.description_localizations ?? {}))
        check(`discord /${command.name}`, discordLocale(code), text ?? undefined);
      for (const option of command.options ?? []) {
        check(`discord /${command.name} ${option.name}`, 'en', option.description);
        for (const [code, text] of Object.entries(option.description_localizations ?? {}))
          check(`discord /${command.name} ${option.name}`, discordLocale(code), text ?? undefined);
        const choices = 'choices' in option ? (option.choices ?? []) : [];
        for (const choice of choices) {
          check(`discord /${command.name} choice ${choice.value}`, 'en', choice.name);
          for (const [code, text] of Object.entries(choice.name_localizations ?? {}))
            check(`discord /${command.name} choice ${choice.value}`, discordLocale(code), text ?? undefined);
        }
      }
    }
    const { manifest, files } = teamsMenus();
    manifest.bots[0]!.commandLists.forEach((list, l) =>
      list.commands.forEach((command, c) => {
        check(`teams ${command.title}`, 'en', command.description);
        for (const { languageTag, file } of manifest.localizationInfo.additionalLanguages) {
          const strings = files.get(file) as Record<string, string>;
          check(
            `teams ${command.title}`,
            languageTag,
            strings[`bots[0].commandLists[${l}].commands[${c}].description`],
          );
        }
      }),
    );
    expect(foreign).toEqual([]);
  });

  it('name the purposes in Discord’s /object exactly as purposes.* in each locale file', () => {
    const object = discordCommands(menu).find((command) => command.name === 'object')!;
    const option = object.options![0]!;
    const choices = 'choices' in option ? (option.choices ?? []) : [];
    expect(choices.map((choice) => choice.value)).toEqual([...PURPOSES]);
    for (const choice of choices) {
      const value = choice.value as string;
      expect(choice.name).toBe((localeFile('en').purposes as Record<string, string>)[value]);
      for (const locale of LOCALES.filter((l) => l !== 'en')) {
        const code = firstDiscordCode(locale)!;
        expect(choice.name_localizations?.[code]).toBe(
          (localeFile(locale).purposes as Record<string, string>)[value],
        );
      }
    }
  });

  it('cannot list a command no dialog answers', () => {
    const dialogs = createDialogs();
    expect(() =>
      createDialogRegistry([dialogs.onboarding, dialogs.fallback], dialogs.onboarding, dialogs.fallback, [
        { command: '/nowhere', description: 'commands.help.description' },
      ]),
    ).toThrow(/unregistered command: \/nowhere/);
  });
});
