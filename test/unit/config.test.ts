import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../src/config/config';
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

  it('refuses production without a pepper', () => {
    expect(() => loadConfig({ APP_ENV: 'production' })).toThrow(/SUBJECT_ID_PEPPER/);
  });

  it('documents every variable in .env.example and the README', () => {
    const root = path.resolve(__dirname, '../..');
    const example = readFileSync(path.join(root, '.env.example'), 'utf8');
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    const variables = Object.keys(envSchema.shape);
    expect(variables.filter((name) => !new RegExp(`^#?\\s*${name}=`, 'm').test(example))).toEqual([]);
    expect(variables.filter((name) => !readme.includes(`\`${name}\``))).toEqual([]);
  });
});
