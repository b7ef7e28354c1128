/**
 * `npm run discord:register`: publish the slash commands commands.ts generates. With DISCORD_GUILD_ID
 * they are registered for that one server, where changes show at once (use it while developing);
 * without it they are registered globally, for every server and DM.
 *
 * A PUT replaces the whole list, so running it again is safe and removes commands that were
 * dropped from the menu. REST and Routes come from discord.js, which re-exports @discordjs/rest;
 * @discordjs/rest is not a direct dependency of this project.
 */
import { REST, Routes } from 'discord.js';
import type { RESTOptions } from 'discord.js';
import { loadConfig } from '../../src/config/config';
import { ConfigError, errorCode } from '../../src/core/errors';
import { createLogger } from '../../src/logging/logger';
import type { CommandMenu } from '../../src/engine/command-menu';
import { defaultCommandMenu } from '../default-menu';
import { discordCommands } from './commands';

export interface RegistrationTarget {
  readonly token: string;
  readonly applicationId: string;
  readonly guildId?: string | undefined;
  /** Extra REST options; tests point `api` at a loopback double. */
  readonly rest?: Partial<RESTOptions>;
  /** The menu to publish; the product's (dialogs/command-menu.ts, locales/) unless given. */
  readonly menu?: CommandMenu;
}

/** Registers the menu's commands and returns how many Discord accepted. */
export async function registerCommands(target: RegistrationTarget): Promise<number> {
  const rest = new REST({ version: '10', ...target.rest }).setToken(target.token);
  const route = target.guildId
    ? Routes.applicationGuildCommands(target.applicationId, target.guildId)
    : Routes.applicationCommands(target.applicationId);
  const body = discordCommands(target.menu ?? defaultCommandMenu());
  const registered = (await rest.put(route, { body })) as unknown[];
  return registered.length;
}

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const { token, applicationId, guildId, apiRoot } = config.channels.settings.discord;
  if (!token) throw new ConfigError('DISCORD_TOKEN: required to register commands');
  if (!applicationId) throw new ConfigError('DISCORD_APPLICATION_ID: required to register commands');
  const count = await registerCommands({
    token,
    applicationId,
    guildId,
    ...(apiRoot && { rest: { api: apiRoot } }),
  });
  logger.info({ count, scope: guildId ? 'guild' : 'global', guildId }, 'discord commands registered');
}

if (require.main === module) {
  main().catch((error: unknown) => {
    // The logger may not exist yet (bad configuration), so report on stderr directly.
    process.stderr.write(`discord:register failed (${errorCode(error)})\n`);
    if (error instanceof ConfigError) process.stderr.write(`${error.message}\n`);
    process.exitCode = 1;
  });
}
