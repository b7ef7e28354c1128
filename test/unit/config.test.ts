import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../src/config/config';
import { channelVariableNames } from '../../src/config/channel-settings';
import { envSchema } from '../../src/config/schema';

describe('loadConfig', () => {
  it('gives documented defaults and a frozen object', () => {
    const config = loadConfig({});
    expect(config.retention.historyMs).toBe(30 * 86_400_000);
    expect(config.defaultLocale).toBe('en');
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.retention)).toBe(true);
  });

  it('names the variable that is wrong', () => {
    expect(() => loadConfig({ RETENTION_HISTORY_DAYS: 'soon' })).toThrow(/RETENTION_HISTORY_DAYS/);
    expect(() => loadConfig({ DEFAULT_LOCALE: 'xx' })).toThrow(/DEFAULT_LOCALE/);
    expect(() => loadConfig({ KEY_PROVIDER: 'aws' })).toThrow(/KMS_KEY_ID/);
  });

  it("keeps evidence in calendar months and answers requests in the law's terms (issue 16, item 3)", () => {
    const config = loadConfig({});
    expect(config.retention.evidenceMonths).toBe(24);
    expect(config.retention.underAgeMs).toBe(30 * 86_400_000);
    expect(config.privacy.rightsRequestDeadline).toBe('gdpr');
    expect(loadConfig({ RIGHTS_REQUEST_DEADLINE: 'ccpa' }).privacy.rightsRequestDeadline).toBe('ccpa');
    expect(() => loadConfig({ RIGHTS_REQUEST_DEADLINE: '30' })).toThrow(/RIGHTS_REQUEST_DEADLINE/);
    expect(() => loadConfig({ RETENTION_EVIDENCE_MONTHS: '0' })).toThrow(/RETENTION_EVIDENCE_MONTHS/);
    expect(() => loadConfig({ RETENTION_UNDER_AGE_DAYS: '400' })).toThrow(/RETENTION_UNDER_AGE_DAYS/);
    // The CCPA asks for 24 months of request records.
    expect(() => loadConfig({ RIGHTS_REQUEST_DEADLINE: 'ccpa', RETENTION_EVIDENCE_MONTHS: '12' })).toThrow(
      /RETENTION_EVIDENCE_MONTHS: .*at least 24 months/,
    );
    expect(loadConfig({ RETENTION_EVIDENCE_MONTHS: '12' }).retention.evidenceMonths).toBe(12);
  });

  it('stops at a variable that was replaced, naming its replacement, rather than ignore it', () => {
    expect(() => loadConfig({ RETENTION_EVIDENCE_DAYS: '730' })).toThrow(
      /RETENTION_EVIDENCE_DAYS: replaced by RETENTION_EVIDENCE_MONTHS/,
    );
    expect(() => loadConfig({ RIGHTS_REQUEST_DUE_DAYS: '30' })).toThrow(
      /RIGHTS_REQUEST_DUE_DAYS: replaced by RIGHTS_REQUEST_DEADLINE/,
    );
    expect(loadConfig({ RIGHTS_REQUEST_DUE_DAYS: '' }).privacy.rightsRequestDeadline).toBe('gdpr');
  });

  it('refuses production without a pepper', () => {
    expect(() => loadConfig({ APP_ENV: 'production' })).toThrow(/SUBJECT_ID_PEPPER/);
  });

  it('stores in SQLite under DATA_DIR by default, with the keys in a file of their own', () => {
    const config = loadConfig({ DATA_DIR: '/srv/bot' });
    expect(config.storage).toEqual({
      mongoUri: undefined,
      sqlitePath: path.resolve('/srv/bot/bot.sqlite'),
      dataKeysPath: path.resolve('/srv/bot/bot.keys.sqlite'),
      sweepIntervalMs: 60_000,
    });
    const custom = loadConfig({ DATABASE_PATH: '/var/lib/bot/data.db', RETENTION_SWEEP_SECONDS: '5' });
    expect(custom.storage.dataKeysPath).toBe(path.resolve('/var/lib/bot/data.keys.db'));
    expect(custom.storage.sweepIntervalMs).toBe(5000);
    expect(loadConfig({ DATABASE_PATH: ':memory:' }).storage.dataKeysPath).toBe(':memory:');
  });

  it('refuses an in-memory database in production, where a restart would lose every decision', () => {
    const production = { APP_ENV: 'production', SUBJECT_ID_PEPPER: 'p'.repeat(32) };
    expect(() => loadConfig({ ...production, DATABASE_PATH: ':memory:' })).toThrow(/DATABASE_PATH/);
    expect(
      loadConfig({ ...production, DATABASE_PATH: ':memory:', MONGODB_URI: 'mongodb://db/bot' }).storage
        .mongoUri,
    ).toBe('mongodb://db/bot');
  });

  it('documents every variable in .env.example and the README', () => {
    const root = path.resolve(__dirname, '../..');
    const example = readFileSync(path.join(root, '.env.example'), 'utf8');
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    const variables = [...Object.keys(envSchema.shape), ...channelVariableNames()];
    expect(variables.filter((name) => !new RegExp(`^#?\\s*${name}=`, 'm').test(example))).toEqual([]);
    expect(variables.filter((name) => !readme.includes(`\`${name}\``))).toEqual([]);
  });
});
