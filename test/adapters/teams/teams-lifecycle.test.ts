import { setTimeout as sleep } from 'node:timers/promises';
import { HttpServer } from '../../../adapters/http/http-server';
import { TeamsChannel } from '../../../adapters/teams/teams-channel';
import { textReply } from '../../../src/core/messages';
import { createLogger } from '../../../src/logging/logger';
import { message } from './activities';
import { startTeamsHarness, type TeamsHarness } from './harness';

describe('TeamsChannel typing indicator on slow turns', () => {
  let teams: TeamsHarness;

  beforeAll(async () => {
    teams = await startTeamsHarness({ typingDelayMs: 20, typingPeriodMs: 40 });
  });
  afterAll(() => teams.close());
  beforeEach(() => teams.reset());

  it('shows typing while the engine is slow, and never after the reply', async () => {
    teams.reply = async () => {
      await sleep(150);
      return [textReply('fertig')];
    };
    await teams.post(message(teams.connector.serviceUrl, 'hi'));

    const types = teams.connector.activities.map((a) => a.activity.type);
    expect(types.filter((type) => type === 'typing').length).toBeGreaterThanOrEqual(2);
    expect(types.at(-1)).toBe('message');
    expect(teams.connector.activities.at(-1)!.activity.text).toBe('fertig');
  });

  it('sends no typing when the engine answers at once', async () => {
    teams.reply = () => [textReply('sofort')];
    await teams.post(message(teams.connector.serviceUrl, 'hi'));
    expect(teams.connector.activities.map((a) => a.activity.type)).toEqual(['message']);
  });
});

describe('TeamsChannel lifecycle', () => {
  it('refuses turns with 503 once stopped', async () => {
    const teams = await startTeamsHarness();
    try {
      await teams.channel.stop();
      const response = await teams.post(message(teams.connector.serviceUrl, 'hi'));
      expect(response.status).toBe(503);
      expect(teams.received).toHaveLength(0);
    } finally {
      await teams.close();
    }
  });

  it('refuses to run without an app id in production', () => {
    const logger = createLogger('silent');
    expect(
      () =>
        new TeamsChannel({
          appType: 'MultiTenant',
          appEnv: 'production',
          httpHost: '127.0.0.1',
          http: new HttpServer(logger),
          logger,
        }),
    ).toThrow(
      expect.objectContaining({
        code: 'CONFIG_INVALID',
        message: expect.stringContaining('MICROSOFT_APP_ID'),
      }),
    );
  });

  it.each([
    [{ appType: 'SingleTenant', appPassword: 'p' }, 'MICROSOFT_APP_TENANT_ID'],
    [{ appType: 'MultiTenant' }, 'MICROSOFT_APP_PASSWORD'],
    [{ appType: 'UserAssignedMSI', tenantId: 't', appPassword: 'p' }, 'MICROSOFT_APP_PASSWORD'],
  ] as const)('names the variable to fix for an incomplete bot identity %o', (identity, variable) => {
    const logger = createLogger('silent');
    expect(
      () =>
        new TeamsChannel({
          appId: 'app-id',
          ...identity,
          appEnv: 'production',
          httpHost: '0.0.0.0',
          http: new HttpServer(logger),
          logger,
        }),
    ).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID', message: expect.stringContaining(variable) }),
    );
  });

  it('accepts a complete single-tenant identity', () => {
    const logger = createLogger('silent');
    const channel = new TeamsChannel({
      appId: 'app-id',
      appPassword: 'secret',
      tenantId: 'tenant',
      appType: 'SingleTenant',
      appEnv: 'production',
      httpHost: '0.0.0.0',
      http: new HttpServer(logger),
      logger,
    });
    expect(channel.name).toBe('teams');
  });
});
