import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { LOCALES } from '../../../src/i18n/locales';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defaultCommandMenu } from '../../../adapters/default-menu';
import { teamsCommandLists } from '../../../adapters/teams/commands';
import { packageTeamsApp } from '../../../adapters/teams/package-app';
import { loadConfig } from '../../../src/config/config';
import { decodePng, readZip } from './zip-and-png';

const APP_ID = '2b7c4f1e-8d3a-4c6b-9e5f-0a1b2c3d4e5f';
const env = {
  MICROSOFT_APP_ID: APP_ID,
  PRIVACY_POLICY_URL: 'https://bot.example.org/privacy',
  TERMS_URL: 'https://legal.example.org/terms',
  PRIVACY_CONTACT: 'privacy@example.org',
};

interface Manifest {
  id: string;
  version: string;
  developer: Record<string, string>;
  description: { short: string; full: string };
  name: { short: string; full: string };
  icons: { color: string; outline: string };
  accentColor: string;
  validDomains: string[];
  localizationInfo: {
    defaultLanguageTag: string;
    additionalLanguages: { languageTag: string; file: string }[];
  };
  bots: {
    botId: string;
    scopes: string[];
    supportsFiles: boolean;
    commandLists: { scopes: string[]; commands: { title: string; description: string }[] }[];
  }[];
}

describe('npm run teams:package', () => {
  let dir: string;
  let entries: Map<string, Buffer>;
  let manifest: Manifest;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'teams-package-'));
    const outFile = path.join(dir, 'dist', 'teams-app.zip');
    const result = await packageTeamsApp(loadConfig(env), { outFile, version: '1.2.3' });
    expect(result.outFile).toBe(outFile);
    entries = readZip(await readFile(outFile));
    manifest = JSON.parse(entries.get('manifest.json')!.toString('utf8')) as Manifest;
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('holds the manifest, a file per language besides English and both icons at the root', () => {
    expect([...entries.keys()].sort()).toEqual(
      [
        'color.png',
        ...LOCALES.filter((locale) => locale !== 'en').map((locale) => `${locale}.json`),
        'manifest.json',
        'outline.png',
      ].sort(),
    );
  });

  it('fills ids, URLs and contact from the configuration', () => {
    expect(manifest.id).toBe(APP_ID);
    expect(manifest.bots[0]!.botId).toBe(APP_ID);
    expect(manifest.version).toBe('1.2.3');
    expect(manifest.developer).toEqual({
      name: 'bot.example.org',
      websiteUrl: 'https://bot.example.org/',
      privacyUrl: env.PRIVACY_POLICY_URL,
      termsOfUseUrl: env.TERMS_URL,
    });
    expect(manifest.validDomains).toEqual(['bot.example.org', 'legal.example.org']);
    expect(manifest.description.full).toContain(env.PRIVACY_POLICY_URL);
    expect(manifest.description.full).toContain(env.PRIVACY_CONTACT);
    expect(manifest.accentColor).toMatch(/^#[0-9A-F]{6}$/i);
    for (const [name, bytes] of entries) {
      if (name.endsWith('.json')) expect(bytes.toString('utf8')).not.toContain('{{');
    }
  });

  it('declares the bot in every scope with file support and the privacy commands', () => {
    const bot = manifest.bots[0]!;
    expect(bot.scopes).toEqual(['personal', 'team', 'groupChat']);
    expect(bot.supportsFiles).toBe(true);
    const personal = bot.commandLists.find((list) => list.scopes.includes('personal'))!;
    // Teams takes 10 per list: the menu's first 10, every privacy command among them.
    expect(personal.commands.map((command) => command.title)).toEqual([
      ...['privacy', 'consent', 'stop', 'mydata', 'export', 'correct', 'delete', 'restrict', 'object'],
      'help',
    ]);
    const groups = bot.commandLists.find((list) => list.scopes.includes('groupChat'))!;
    expect(groups.scopes).toEqual(['team', 'groupChat']);
    // Only what works in a group; the rights commands answer with a pointer to the private chat.
    expect(groups.commands.map((command) => command.title)).toEqual(['privacy', 'stop', 'help', 'language']);
    const lists = teamsCommandLists(defaultCommandMenu());
    expect(personal.commands.map((command) => command.title)).toEqual(lists.personal.map((c) => c.name));
    for (const list of bot.commandLists) expect(list.commands.length).toBeLessThanOrEqual(10);
  });

  it.each(['de', 'es', 'fr'])('localizes every visible string for %s within the schema limits', (tag) => {
    const entry = manifest.localizationInfo.additionalLanguages.find(
      (language) => language.languageTag === tag,
    )!;
    const strings = JSON.parse(entries.get(entry.file)!.toString('utf8')) as Record<string, string>;
    expect(strings['name.short']!.length).toBeLessThanOrEqual(30);
    expect(strings['name.full']!.length).toBeLessThanOrEqual(100);
    expect(strings['description.short']!.length).toBeLessThanOrEqual(80);
    expect(strings['description.full']!.length).toBeLessThanOrEqual(4000);
    expect(strings['description.full']).toContain(env.PRIVACY_POLICY_URL);
    expect(strings['description.full']).toContain(env.PRIVACY_CONTACT);
    expect(strings['description.short']).not.toBe(manifest.description.short);
    manifest.bots[0]!.commandLists.forEach((list, l) =>
      list.commands.forEach((command, c) => {
        const description = strings[`bots[0].commandLists[${l}].commands[${c}].description`];
        expect(description).toEqual(expect.any(String));
        expect(description!.length).toBeLessThanOrEqual(128);
        expect(description).not.toBe(command.description);
      }),
    );
  });

  it('keeps the English manifest strings within the schema limits', () => {
    expect(manifest.name.short.length).toBeLessThanOrEqual(30);
    expect(manifest.description.short.length).toBeLessThanOrEqual(80);
    expect(manifest.developer.name!.length).toBeLessThanOrEqual(32);
  });

  it('draws a 192×192 opaque colour icon and a 32×32 white-on-transparent outline icon', () => {
    const color = decodePng(entries.get(manifest.icons.color)!);
    expect([color.width, color.height]).toEqual([192, 192]);
    expect(color.pixels.every(([, , , alpha]) => alpha === 255)).toBe(true);

    const outline = decodePng(entries.get(manifest.icons.outline)!);
    expect([outline.width, outline.height]).toEqual([32, 32]);
    const white = outline.pixels.filter((p) => p.join() === '255,255,255,255').length;
    const transparent = outline.pixels.filter((p) => p[3] === 0).length;
    expect(white).toBeGreaterThan(0);
    expect(transparent).toBeGreaterThan(0);
    expect(white + transparent).toBe(32 * 32);
  });

  it('builds the same bytes from the same configuration', async () => {
    const again = path.join(dir, 'again.zip');
    await packageTeamsApp(loadConfig(env), { outFile: again, version: '1.2.3' });
    const first = await readFile(path.join(dir, 'dist', 'teams-app.zip'));
    expect((await readFile(again)).equals(first)).toBe(true);
  });

  it.each([
    [{ MICROSOFT_APP_ID: '' }, 'MICROSOFT_APP_ID: required'],
    [{ MICROSOFT_APP_ID: 'not-a-guid' }, 'MICROSOFT_APP_ID: must be the GUID'],
    [{ PRIVACY_POLICY_URL: '' }, 'PRIVACY_POLICY_URL: required'],
    [{ TERMS_URL: '' }, 'TERMS_URL: required'],
    [{ TERMS_URL: 'http://legal.example.org/terms' }, 'TERMS_URL: must be an https:// URL'],
  ])('refuses to package with %o, naming the variable', async (override, message) => {
    const outFile = path.join(dir, 'refused.zip');
    await expect(
      packageTeamsApp(loadConfig({ ...env, ...override }), { outFile, version: '1.0.0' }),
    ).rejects.toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID', message: expect.stringContaining(message) }),
    );
  });
});
