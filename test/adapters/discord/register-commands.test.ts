import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { ApplicationCommandOptionType, InteractionContextType } from 'discord.js';
import { LOCALES } from '../../../src/i18n/locales';
import { discordCommands } from '../../../adapters/discord/commands';
import { defaultCommandMenu } from '../../../adapters/default-menu';
import { registerCommands } from '../../../adapters/discord/register-commands';
import { DiscordApiDouble } from '../../support/discord-api-double';
import { MENU_COMMAND_NAMES } from '../menus/expected-commands';

interface RegisteredCommand {
  name: string;
  description: string;
  description_localizations: Record<string, string>;
  contexts: number[];
  options?: {
    name: string;
    type: number;
    description_localizations: Record<string, string>;
    choices?: { name: string; value: string; name_localizations?: Record<string, string> }[];
  }[];
}

const COMMANDS = discordCommands(defaultCommandMenu());

type CommandOption = NonNullable<RegisteredCommand['options']>[number];

function firstOption(commandName: string): CommandOption {
  const command = COMMANDS.find((c) => c.name === commandName);
  const [option] = command?.options ?? [];
  if (!option) throw new Error(`/${commandName} has no option`);
  return option as unknown as CommandOption;
}

describe('Discord command registration', () => {
  const api = new DiscordApiDouble();
  beforeAll(() => api.start());
  afterAll(() => api.stop());

  it('registers the commands for one guild with a bulk PUT, with localized descriptions', async () => {
    const count = await registerCommands({
      token: 'test-token',
      applicationId: '42',
      guildId: '77',
      rest: { api: api.apiUrl, retries: 0 },
    });

    const puts = api.find('PUT', /^\/applications\/42\/guilds\/77\/commands$/);
    expect(puts).toHaveLength(1);
    expect(puts[0]!.authorization).toBe('Bot test-token');
    const body = puts[0]!.json as RegisteredCommand[];
    expect(count).toBe(body.length);
    expect(body.map((c) => c.name)).toEqual(MENU_COMMAND_NAMES);
    for (const command of body) {
      expect(Object.keys(command.description_localizations)).toEqual(
        expect.arrayContaining(['de', 'es-ES', 'fr']),
      );
      expect(command.description_localizations.de).not.toBe(command.description);
      expect(command.contexts).toEqual([InteractionContextType.Guild, InteractionContextType.BotDM]);
    }
    const privacy = body.find((c) => c.name === 'privacy')!;
    expect(privacy.description_localizations.de).toMatch(/Datenschutz/);
    expect(privacy.description_localizations.fr).toMatch(/confidentialité/);
  });

  it('`npm run discord:register` itself registers against DISCORD_API_ROOT, and names a missing variable', async () => {
    const root = path.resolve(__dirname, '../../..');
    const script = path.join(root, 'adapters/discord/register-commands.ts');
    const run = (env: Record<string, string>) =>
      promisify(execFile)(process.execPath, ['--import', 'tsx', script], {
        cwd: root,
        env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', ...env },
      });
    const before = api.find('PUT', /^\/applications\/4242\/guilds\/7777\/commands$/).length;
    const { stderr } = await run({
      DISCORD_TOKEN: 'script-token',
      DISCORD_APPLICATION_ID: '4242',
      DISCORD_GUILD_ID: '7777',
      DISCORD_API_ROOT: api.apiUrl,
    });
    const puts = api.find('PUT', /^\/applications\/4242\/guilds\/7777\/commands$/);
    expect(puts).toHaveLength(before + 1);
    expect(puts.at(-1)!.authorization).toBe('Bot script-token');
    expect((puts.at(-1)!.json as RegisteredCommand[]).map((c) => c.name)).toEqual(MENU_COMMAND_NAMES);
    expect(stderr).toContain('discord commands registered'); // logs go to stderr
    await expect(run({ DISCORD_TOKEN: 'script-token' })).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('DISCORD_APPLICATION_ID: required to register commands'),
    });
  });

  it('registers globally when no guild is given', async () => {
    await registerCommands({
      token: 'test-token',
      applicationId: '42',
      rest: { api: api.apiUrl, retries: 0 },
    });
    expect(api.find('PUT', /^\/applications\/42\/commands$/)).toHaveLength(1);
  });

  it('gives /language a `code` option with every bot language', () => {
    const code = firstOption('language');
    expect(code).toMatchObject({ name: 'code', type: ApplicationCommandOptionType.String });
    expect(code.choices?.map((c) => c.value)).toEqual([...LOCALES]);
  });

  it('gives /restrict on/off and /object the consent purposes, with translated choice names', () => {
    const mode = firstOption('restrict');
    expect(mode.name).toBe('mode');
    expect(mode.choices?.map((c) => c.value)).toEqual(['on', 'off']);
    expect(mode.choices?.[0]?.name_localizations?.de).toBe('Einschränken');
    const purpose = firstOption('object');
    expect(purpose.name).toBe('purpose');
    expect(purpose.choices?.map((c) => c.value)).toEqual(['history', 'personalization', 'analytics']);
    expect(purpose.description_localizations.fr).toBeTruthy();
  });

  it('keeps every name and description within Discord limits', () => {
    for (const command of COMMANDS) {
      expect(command.name).toMatch(/^[-_a-z0-9]{1,32}$/);
      const descriptions = [command.description, ...Object.values(command.description_localizations ?? {})];
      for (const text of descriptions) expect((text ?? '').length).toBeGreaterThan(0);
      for (const text of descriptions) expect((text ?? '').length).toBeLessThanOrEqual(100);
    }
  });
});
