import { Locale as DiscordLocale } from 'discord.js';
import { renderAppFiles } from '../../../adapters/teams/app-manifest';
import { discordCommands } from '../../../adapters/discord/commands';
import { registerCommands } from '../../../adapters/telegram/commands';
import { telegramCommands } from '../../../adapters/telegram/command-menu';
import type { CommandMenu } from '../../../src/engine/command-menu';

/**
 * What each platform is sent, read back per language as `name → description`, so the three can
 * be compared: Telegram's setMyCommands lists, Discord's registration body with its
 * localizations, and the Teams manifest with its language files.
 */
export type MenuIn = Map<string, Map<string, string>>;

export const TEAMS_INPUTS = {
  appId: '2b7c4f1e-8d3a-4c6b-9e5f-0a1b2c3d4e5f',
  privacyPolicyUrl: 'https://bot.example.org/privacy',
  termsUrl: 'https://bot.example.org/terms',
  privacyContact: 'privacy@example.org',
  version: '1.0.0',
};

/** The lists the Telegram channel sends, recorded: one per language plus the default one. */
export async function telegramMenus(menu: CommandMenu): Promise<MenuIn> {
  const sent: { commands: { command: string; description: string }[]; language?: string }[] = [];
  await registerCommands(
    {
      setMyCommands: (commands, extra) => {
        sent.push({
          commands: [...commands],
          ...(extra?.language_code ? { language: extra.language_code } : {}),
        });
        return Promise.resolve(true);
      },
    },
    telegramCommands(menu),
  );
  return new Map(
    sent
      .filter((list) => list.language !== undefined)
      .map((list) => [list.language!, new Map(list.commands.map((c) => [c.command, c.description]))]),
  );
}

const DISCORD_CODES: readonly string[] = Object.values(DiscordLocale);

/** The first Discord locale a bot language shows in: the same code or a regional variant (es → es-ES). */
export function firstDiscordCode(locale: string): DiscordLocale | undefined {
  return DISCORD_CODES.find((c) => c === locale || c.startsWith(`${locale}-`)) as DiscordLocale | undefined;
}

/** Discord's registration body, per bot language (its first Discord locale; the base: the default text). */
export function discordMenus(menu: CommandMenu, base: string): MenuIn {
  const body = discordCommands(menu);
  const result: MenuIn = new Map();
  for (const locale of menu.locales) {
    const code = firstDiscordCode(locale);
    if (locale !== base && !code) continue;
    result.set(
      locale,
      new Map(
        body.map((c) => [
          c.name,
          locale === base ? c.description : (c.description_localizations?.[code!] ?? ''),
        ]),
      ),
    );
  }
  return result;
}

interface TeamsManifest {
  localizationInfo: {
    defaultLanguageTag: string;
    additionalLanguages: { languageTag: string; file: string }[];
  };
  bots: { commandLists: { scopes: string[]; commands: { title: string; description: string }[] }[] }[];
}

/** The Teams personal-chat command list, per language (manifest for the base, language files for the rest). */
export function teamsMenus(localesDir?: string): {
  menus: MenuIn;
  manifest: TeamsManifest;
  files: Map<string, unknown>;
} {
  const files = new Map(
    renderAppFiles(TEAMS_INPUTS, localesDir ? { localesDir } : {})
      .filter((file) => file.name.endsWith('.json'))
      .map((file) => [file.name, JSON.parse(file.bytes.toString('utf8')) as unknown]),
  );
  const manifest = files.get('manifest.json') as TeamsManifest;
  const personalIndex = manifest.bots[0]!.commandLists.findIndex((list) => list.scopes.includes('personal'));
  const personal = manifest.bots[0]!.commandLists[personalIndex]!.commands;
  const menus: MenuIn = new Map([
    [manifest.localizationInfo.defaultLanguageTag, new Map(personal.map((c) => [c.title, c.description]))],
  ]);
  for (const { languageTag, file } of manifest.localizationInfo.additionalLanguages) {
    const strings = files.get(file) as Record<string, string>;
    menus.set(
      languageTag,
      new Map(
        personal.map((c, i) => [
          c.title,
          strings[`bots[0].commandLists[${personalIndex}].commands[${i}].description`] ?? '',
        ]),
      ),
    );
  }
  return { menus, manifest, files };
}
