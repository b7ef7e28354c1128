import { loadConfig } from '../../../src/config/config';
import { controllerOf, processorsOf, recordsOfProcessing } from '../../../src/privacy/records-of-processing';

/**
 * Issue 16, item 7: the records of processing are the single source of every notice: each row
 * says how the notices name it, the controller and processors come from the configuration.
 */
describe('the notices read from the records of processing', () => {
  it('gives every row a notice entry but the breach register (its notices cover it) and the anonymous usage counts', () => {
    const rows = recordsOfProcessing(loadConfig({}));
    expect(rows.filter((row) => row.notice.length === 0).map((row) => row.collection)).toEqual([
      'breaches',
      'usage_counts',
    ]);
    const topics = rows.flatMap((row) => row.notice.map((entry) => entry.topic));
    expect(topics).toEqual(
      expect.arrayContaining(['keys', 'requests', 'breaches', 'underAge', 'consent', 'ledger', 'history']),
    );
    expect(new Set(topics).size).toBe(topics.length);
  });

  it('says each retention as configured: the under-age note in days, evidence in months, keys until erasure', () => {
    const rows = recordsOfProcessing(
      loadConfig({ RETENTION_UNDER_AGE_DAYS: '14', RETENTION_EVIDENCE_MONTHS: '36' }),
    );
    const entry = (topic: string) => rows.flatMap((row) => row.notice).find((e) => e.topic === topic)!;
    expect(entry('underAge').period).toBe(14 * 86_400_000);
    expect(entry('breaches').period).toEqual({ months: 36 });
    expect(entry('requests').period).toEqual({ months: 36 });
    expect(entry('keys').period).toBe('untilErasure');
    expect(entry('history').basis).toBe('consent');
  });

  it('names the controller from CONTROLLER_NAME, CONTROLLER_ADDRESS and PRIVACY_CONTACT', () => {
    const config = loadConfig({
      CONTROLLER_NAME: 'Beispiel GmbH',
      CONTROLLER_ADDRESS: 'Hauptstraße 1, 10115 Berlin',
      PRIVACY_CONTACT: 'dpo@example.test',
    });
    expect(controllerOf(config)).toEqual({
      name: 'Beispiel GmbH',
      address: 'Hauptstraße 1, 10115 Berlin',
      contact: 'dpo@example.test',
    });
  });

  it('derives the processors it can (AWS KMS, MongoDB Atlas) and adds those PROCESSORS lists', () => {
    expect(processorsOf(loadConfig({}))).toEqual([]);
    expect(
      processorsOf(
        loadConfig({
          KEY_PROVIDER: 'aws',
          KMS_KEY_ID: 'alias/bot',
          MONGODB_URI: 'mongodb+srv://bot:secret@cluster0.abcde.mongodb.net/bot?retryWrites=true',
          PROCESSORS: ' Hoster AG, Berlin (hosting) ;; Mail GmbH (e-mail) ',
        }),
      ),
    ).toEqual([
      { name: 'Amazon Web Services, AWS Key Management Service', role: 'keyService' },
      { name: 'MongoDB, Inc., MongoDB Atlas', role: 'database' },
      { name: 'Hoster AG, Berlin (hosting)' },
      { name: 'Mail GmbH (e-mail)' },
    ]);
    // A database of one's own is no processor, whatever its credentials say.
    expect(processorsOf(loadConfig({ MONGODB_URI: 'mongodb://u:p@db.mongodb.net.example.org/bot' }))).toEqual(
      [],
    );
  });
});

describe('the controller in production (GDPR Art. 13(1)(a))', () => {
  const production = {
    APP_ENV: 'production',
    SUBJECT_ID_PEPPER: 'p'.repeat(32),
    ALLOW_LOCAL_KEYS_IN_PRODUCTION: 'true',
  };

  it('refuses the development placeholders when the bot talks to people on a platform', () => {
    expect(() => loadConfig({ ...production, TELEGRAM_BOT_TOKEN: '123:abc' })).toThrow(
      /PRIVACY_CONTACT, CONTROLLER_NAME, CONTROLLER_ADDRESS: still the development placeholder/,
    );
    expect(() =>
      loadConfig({
        ...production,
        DISCORD_TOKEN: 'token',
        CONTROLLER_NAME: 'Beispiel GmbH',
        PRIVACY_CONTACT: 'dpo@example.test',
      }),
    ).toThrow(/^CONTROLLER_ADDRESS: still the development placeholder/);
    const named = loadConfig({
      ...production,
      TELEGRAM_BOT_TOKEN: '123:abc',
      CONTROLLER_NAME: 'Beispiel GmbH',
      CONTROLLER_ADDRESS: 'Hauptstraße 1, 10115 Berlin',
      PRIVACY_CONTACT: 'dpo@example.test',
    });
    expect(named.privacy.controller).toEqual({
      name: 'Beispiel GmbH',
      address: 'Hauptstraße 1, 10115 Berlin',
    });
  });

  it('leaves development, tools and the terminal alone with the placeholders', () => {
    expect(loadConfig({}).privacy.controller.name).toBe('Example Bot Operator');
    expect(loadConfig(production).privacy.controller.name).toBe('Example Bot Operator');
  });
});
