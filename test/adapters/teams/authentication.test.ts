import { AuthenticationConstants } from 'botframework-connector';
import { HttpServer } from '../../../adapters/http/http-server';
import { TeamsChannel } from '../../../adapters/teams/teams-channel';
import { loadConfig } from '../../../src/config/config';
import { textReply } from '../../../src/core/messages';
import { createLogger } from '../../../src/logging/logger';
import { GROUP, message } from './activities';
import { parsedLogs, startTeamsHarness, type TeamsHarness } from './harness';
import { OpenIdDouble } from './openid-double';

/**
 * Issue 12, defect 4: Teams without an app id (no signature check) only on a loopback address;
 * only Teams (and the Emulator in development) may speak; an optional tenant allow-list.
 * Defect 6 (Teams side): authentication failures are a bare status and one log line, never
 * botbuilder's console output or error text.
 */
describe('unauthenticated Teams is for loopback only', () => {
  const logger = createLogger('silent');
  const make = (httpHost: string, appEnv: 'development' | 'production' = 'development') =>
    new TeamsChannel({ appType: 'MultiTenant', appEnv, httpHost, http: new HttpServer(logger), logger });

  it.each(['0.0.0.0', '::', '192.168.1.20', 'bot.example.org'])(
    'refuses to start on %s without an app id',
    (host) => {
      expect(() => make(host)).toThrow(
        expect.objectContaining({
          code: 'CONFIG_INVALID',
          message: expect.stringMatching(/MICROSOFT_APP_ID.*HTTP_HOST/),
        }),
      );
    },
  );

  it.each(['127.0.0.1', '::1', 'localhost'])('starts on %s without an app id', (host) => {
    expect(make(host).name).toBe('teams');
  });

  it('refuses a loopback address too in production', () => {
    expect(() => make('127.0.0.1', 'production')).toThrow(/MICROSOFT_APP_ID/);
  });

  it('stops loadConfig, naming the variables, when TEAMS_ENABLED has no app id on a public address', () => {
    expect(() => loadConfig({ TEAMS_ENABLED: 'true' })).toThrow(
      expect.objectContaining({
        code: 'CONFIG_INVALID',
        message: expect.stringMatching(/MICROSOFT_APP_ID.*TEAMS_ENABLED.*HTTP_HOST/),
      }),
    );
    expect(
      loadConfig({ TEAMS_ENABLED: 'true', HTTP_HOST: '127.0.0.1' }).channels.settings.teams.enabled,
    ).toBe(true);
    expect(() =>
      loadConfig({
        TEAMS_ENABLED: 'true',
        HTTP_HOST: '::1',
        APP_ENV: 'production',
        SUBJECT_ID_PEPPER: 'p'.repeat(32),
      }),
    ).toThrow(/MICROSOFT_APP_ID/);
  });

  it('reads TEAMS_ALLOWED_TENANTS as a lower-case list and refuses an empty one', () => {
    const config = loadConfig({ TEAMS_ALLOWED_TENANTS: ' AAAA-1 , bbbb-2,' });
    expect(config.channels.settings.teams.allowedTenants).toEqual(['aaaa-1', 'bbbb-2']);
    expect(loadConfig({}).channels.settings.teams.allowedTenants).toBeUndefined();
    expect(() => loadConfig({ TEAMS_ALLOWED_TENANTS: ' , ' })).toThrow(/TEAMS_ALLOWED_TENANTS/);
  });
});

describe('which activities may start a turn', () => {
  let teams: TeamsHarness | undefined;
  afterEach(async () => {
    await teams?.close();
    teams = undefined;
  });

  async function start(options: Parameters<typeof startTeamsHarness>[0] = {}) {
    teams = await startTeamsHarness(options);
    teams.reply = () => [textReply('Antwort')];
    return teams;
  }

  it.each(['webchat', 'directline', 'slack', undefined])(
    'answers channelId %p with a bare 403 and no turn',
    async (channelId) => {
      const harness = await start();
      const response = await harness.post({ ...message(harness.connector.serviceUrl, 'export'), channelId });
      expect(response).toEqual({ status: 403, body: '' });
      expect(harness.received).toEqual([]);
      expect(harness.connector.activities).toEqual([]);
      expect(parsedLogs(harness.logs).filter((entry) => entry.code === 'TEAMS_CHANNEL_REFUSED')).toHaveLength(
        1,
      );
    },
  );

  it('accepts the Emulator in development only', async () => {
    const development = await start();
    const fromEmulator = () => ({
      ...message(development.connector.serviceUrl, 'hi'),
      channelId: 'emulator',
    });
    expect((await development.post(fromEmulator())).status).toBe(200);
    expect(development.received).toHaveLength(1);
    await development.close();

    const test = await start({ appEnv: 'test' });
    expect((await test.post(fromEmulator())).status).toBe(403);
    expect(test.received).toEqual([]);
  });

  it('with TEAMS_ALLOWED_TENANTS, serves listed tenants and refuses the others with a bare 403', async () => {
    const harness = await start({ allowedTenants: ['tenant-1'] });
    const url = harness.connector.serviceUrl;
    const inTenant = (tenant: string | undefined) =>
      message(url, 'hi', {
        conversation: { id: 'a:1', conversationType: 'personal', ...(tenant ? { tenantId: tenant } : {}) },
        ...(tenant ? { channelData: { tenant: { id: tenant } } } : {}),
      });

    expect((await harness.post(inTenant('TENANT-1'))).status).toBe(200);
    expect(await harness.post(inTenant('tenant-2'))).toEqual({ status: 403, body: '' });
    expect((await harness.post(inTenant(undefined))).status).toBe(403);
    // Both places Teams names the tenant must agree with the list.
    const mixed = { ...inTenant('tenant-2'), channelData: { tenant: { id: 'tenant-1' } } };
    expect((await harness.post(mixed)).status).toBe(403);
    expect(harness.received).toHaveLength(1);
    expect(parsedLogs(harness.logs).filter((entry) => entry.code === 'TEAMS_TENANT_REFUSED')).toHaveLength(3);
  });
});

describe('with an app id, botbuilder’s authentication failures', () => {
  const appId = '00000000-0000-0000-0000-00000000b0b1';
  let openId: OpenIdDouble;
  let teams: TeamsHarness;
  let consoleError: jest.SpyInstance;
  let consoleWarn: jest.SpyInstance;

  // botbuilder reads the public cloud's signing-key location from this constant when it builds
  // an adapter; pointing it at the loopback double keeps every other public-cloud default.
  const publicMetadataUrl = AuthenticationConstants.ToBotFromChannelOpenIdMetadataUrl;
  const useMetadataUrl = (url: string) => {
    (
      AuthenticationConstants as { ToBotFromChannelOpenIdMetadataUrl: string }
    ).ToBotFromChannelOpenIdMetadataUrl = url;
  };

  beforeAll(async () => {
    openId = await OpenIdDouble.start();
    useMetadataUrl(openId.metadataUrl);
    teams = await startTeamsHarness({
      appId,
      appPassword: 'not-used-no-reply-is-sent',
      allowedTenants: ['tenant-1'],
    });
  });
  afterAll(async () => {
    useMetadataUrl(publicMetadataUrl);
    await teams.close();
    await openId.close();
  });
  beforeEach(() => {
    teams.reset();
    consoleError = jest.spyOn(console, 'error');
    consoleWarn = jest.spyOn(console, 'warn');
  });
  afterEach(() => {
    consoleError.mockRestore();
    consoleWarn.mockRestore();
  });

  function expectOneRefusal(code: string): void {
    const refusals = parsedLogs(teams.logs).filter((entry) => entry.msg === 'teams request refused');
    expect(refusals).toEqual([expect.objectContaining({ code })]);
    expect(consoleError).not.toHaveBeenCalled();
    expect(consoleWarn).not.toHaveBeenCalled();
  }

  it('answers a request without a token with a bare 401', async () => {
    const response = await teams.post(message(teams.connector.serviceUrl, 'hi'));
    expect(response).toEqual({ status: 401, body: '' });
    expect(teams.received).toEqual([]);
    expectOneRefusal('TEAMS_UNAUTHENTICATED');
  });

  it.each([
    ['a forged signature', () => openId.forgingKey, 300],
    ['an expired token', () => openId.signingKey, -3600],
  ])(
    'answers %s with a bare 401, no console output and no key material in the logs',
    async (_label, key, lifetime) => {
      const url = teams.connector.serviceUrl;
      const token = openId.token(appId, url, key(), lifetime);
      const response = await teams.post(message(url, 'hi'), { authorization: `Bearer ${token}` });
      expect(response).toEqual({ status: 401, body: '' });
      expect(teams.received).toEqual([]);
      expectOneRefusal('TEAMS_UNAUTHENTICATED');
      expect(teams.logs.join('\n')).not.toMatch(/BEGIN|PUBLIC KEY|signature|expired/);
    },
  );

  it('answers 500 with no error text when the signing keys cannot be fetched', async () => {
    // Nothing listens on port 9 on loopback: botbuilder's fetch fails with the address in its message.
    useMetadataUrl('http://127.0.0.1:9/.well-known/openidconfiguration');
    const unreachable = await startTeamsHarness({ appId, appPassword: 'x' });
    useMetadataUrl(openId.metadataUrl);
    try {
      const url = unreachable.connector.serviceUrl;
      const token = openId.token(appId, url, openId.signingKey);
      const response = await unreachable.post(message(url, 'hi'), { authorization: `Bearer ${token}` });
      expect(response).toEqual({ status: 500, body: '' });
      // The error's code is logged (FetchError:ECONNREFUSED), its message with the address is not.
      expect(unreachable.logs.join('\n')).not.toContain('127.0.0.1:9');
      expect(consoleError).not.toHaveBeenCalled();
    } finally {
      await unreachable.close();
    }
  });

  it('authenticates a signed token first, then refuses a tenant outside the list with 403', async () => {
    const url = teams.connector.serviceUrl;
    const token = openId.token(appId, url, openId.signingKey);
    const elsewhere = message(url, 'hi', { channelData: { tenant: { id: 'tenant-2' } } });
    expect(await teams.post(elsewhere, { authorization: `Bearer ${token}` })).toEqual({
      status: 403,
      body: '',
    });
    expectOneRefusal('TEAMS_TENANT_REFUSED');

    // The same token in the listed tenant runs a turn (the engine answers nothing, so no outbound token is needed).
    const home = message(url, 'hi', {
      conversation: { ...GROUP, conversationType: 'personal', isGroup: false },
    });
    const response = await teams.post(home, { authorization: `Bearer ${token}` });
    expect(response.status).toBe(200);
    expect(teams.received).toHaveLength(1);
  });
});
