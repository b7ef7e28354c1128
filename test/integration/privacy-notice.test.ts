import { recordBreach } from '../../src/privacy/breach';
import { talk } from '../support/talk';
import { appPerTest } from '../support/test-app';

/**
 * Issue 16, items 7 and 9 (GDPR Art. 13; CCPA): the consent notice and /privacy name the
 * controller by name and postal address, the processors, every stored category with its retention
 * (the data key, the under-age note, requests and breach notices included), the right to lodge a
 * complaint and the CCPA statement; and the promises the bot makes are the ones the code keeps,
 * in every language. The phrases are spelled out per language on purpose: a translation that
 * drops a promise fails here, not only one that drops a key.
 */

const start = appPerTest();

const ENV = {
  CONTROLLER_NAME: 'Beispiel Bot GmbH',
  CONTROLLER_ADDRESS: 'Hauptstraße 1, 10115 Berlin, Deutschland',
  PRIVACY_CONTACT: 'dpo@example.test',
  PROCESSORS: 'Hoster AG, Gunzenhausen (server hosting)',
};

interface Phrases {
  /** The right to lodge a complaint with a supervisory authority (Art. 13(2)(d)). */
  readonly complaint: string;
  /** CCPA: no sale or sharing, and how to opt out should that change. */
  readonly noSale: string;
  readonly optOut: string;
  /** The same in the consent notice, which the /privacy text details. */
  readonly optOutShort: string;
  /** The data map's categories that were missing before. */
  readonly breaches: string;
  readonly underAge: string;
  readonly keys: string;
  readonly processors: string;
  /** RETENTION_UNDER_AGE_DAYS in words. */
  readonly thirtyDays: string;
  /** After "no thanks": what is still kept. */
  readonly declineKeeps: string;
  /** /delete: breach notices stay, and why backups become unreadable. */
  readonly deleteKeepsBreachNotices: string;
  readonly backups: string;
}

const PHRASES: Record<'en' | 'de' | 'es' | 'fr', Phrases> = {
  en: {
    complaint: 'lodge a complaint with a data protection supervisory authority',
    noSale: 'I do not sell or share your personal information',
    optOut: 'you could opt out at any time with /stop or by writing to dpo@example.test',
    optOutShort: 'you could opt out with /stop',
    breaches: 'Breach notices',
    underAge: 'A note that you are under 16',
    keys: 'Your encryption key',
    processors: '(processors): Hoster AG, Gunzenhausen (server hosting)',
    thirtyDays: '30 days',
    declineKeeps: 'What I do keep is your decision and your language',
    deleteKeepsBreachNotices: 'any breach notice addressed to you',
    backups: 'Keys are stored apart from my data and its backups',
  },
  de: {
    complaint: 'dich bei einer Datenschutzaufsichtsbehörde',
    noSale: 'Ich verkaufe deine personenbezogenen Daten nicht und gebe sie nicht weiter',
    optOut: 'jederzeit widersprechen: mit /stop oder mit einer Nachricht an dpo@example.test',
    optOutShort: 'kannst du mit /stop widersprechen',
    breaches: 'Hinweise zu Datenschutzverletzungen',
    underAge: 'Ein Vermerk, dass du jünger als 16 bist',
    keys: 'Dein Verschlüsselungsschlüssel',
    processors: '(Auftragsverarbeiter): Hoster AG, Gunzenhausen (server hosting)',
    thirtyDays: '30 Tage',
    declineKeeps: 'Behalten werde ich deine Entscheidung und deine Sprache',
    deleteKeepsBreachNotices: 'an dich gerichtete Hinweise zu Datenschutzverletzungen',
    backups: 'Weil Schlüssel getrennt von meinen Daten und deren Backups aufbewahrt werden',
  },
  es: {
    complaint: 'presentar una reclamación ante una autoridad de control de protección de datos',
    noSale: 'No vendo ni comparto tu información personal',
    optOut: 'podrías oponerte en cualquier momento con /stop o escribiendo a dpo@example.test',
    optOutShort: 'podrías oponerte con /stop',
    breaches: 'Avisos de violaciones de seguridad',
    underAge: 'Una nota de que tienes menos de 16 años',
    keys: 'Tu clave de cifrado',
    processors: '(encargados del tratamiento): Hoster AG, Gunzenhausen (server hosting)',
    thirtyDays: '30 días',
    declineKeeps: 'Lo que sí guardo es tu decisión y tu idioma',
    deleteKeepsBreachNotices: 'los avisos de violaciones de seguridad dirigidos a ti',
    backups: 'Como las claves se guardan aparte de mis datos y de sus copias de seguridad',
  },
  fr: {
    complaint: 'introduire une réclamation auprès d’une autorité de contrôle',
    noSale: 'Je ne vends ni ne partage vos informations personnelles',
    optOut: 'vous pourriez vous y opposer à tout moment avec /stop ou en écrivant à dpo@example.test',
    optOutShort: 'vous pourriez vous y opposer avec /stop',
    breaches: 'Avis de violation de données',
    underAge: 'Une note indiquant que vous avez moins de 16 ans',
    keys: 'Votre clé de chiffrement',
    processors: '(sous-traitants)\u00a0: Hoster AG, Gunzenhausen (server hosting)',
    thirtyDays: '30 jours',
    declineKeeps: 'Je conserve en revanche votre décision et votre langue',
    deleteKeepsBreachNotices: 'les avis de violation de données qui vous sont adressés',
    backups: 'Comme les clés sont conservées à part de mes données et de leurs sauvegardes',
  },
};

const LANGUAGES = Object.keys(PHRASES) as (keyof typeof PHRASES)[];

/** What GDPR Art. 13 asks both notices to say, with this configuration, in `locale`. */
function expectArticle13(
  text: string | undefined,
  locale: keyof typeof PHRASES,
  notice: 'privacy' | 'consent',
): void {
  const phrases = PHRASES[locale];
  for (const expected of [
    ENV.CONTROLLER_NAME,
    ENV.CONTROLLER_ADDRESS,
    ENV.PRIVACY_CONTACT,
    phrases.processors,
    phrases.complaint,
    phrases.noSale,
    notice === 'privacy' ? phrases.optOut : phrases.optOutShort,
    phrases.breaches,
    phrases.underAge,
    phrases.keys,
    phrases.thirtyDays,
  ])
    expect({
      locale,
      missing: expected,
      found: text?.toLowerCase().includes(expected.toLowerCase()),
    }).toEqual({
      locale,
      missing: expected,
      found: true,
    });
}

describe.each(LANGUAGES)('the notices in %s (GDPR Art. 13, CCPA)', (locale) => {
  it('/privacy names the controller, processors, every category with its retention, the complaint and no sale', async () => {
    const h = await start(ENV);
    const [notice] = await h.chat('ana', { localeHint: locale }).send('/privacy');
    expectArticle13(notice?.text, locale, 'privacy');
  });

  it('the consent notice says the same before anything is stored', async () => {
    const h = await start(ENV);
    const [notice] = await h.chat('ana', { localeHint: locale }).send('hello');
    expect(notice?.actions?.length).toBeGreaterThan(0);
    expectArticle13(notice?.text, locale, 'consent');
    // One message on every platform, Discord's 2,000 characters included.
    expect(notice!.text.length).toBeLessThan(2000);
  });

  it('"no thanks" says the decision and the language are kept, and they are', async () => {
    const h = await start(ENV);
    const t = h.app.services.i18n.translator(locale);
    await talk(h.app, 'dan', { localeHint: locale })
      .send('hello')
      .press(t('consent.decline'))
      .expectText(PHRASES[locale].declineKeeps);
    const subjectId = h.app.services.subjectIds.of('console', 'dan');
    const row = h.db.sqlite.prepare('SELECT locale FROM subjects WHERE subject_id = ?').get(subjectId);
    expect(row).toEqual({ locale });
    const ledger = h.db.sqlite
      .prepare('SELECT count(*) AS n FROM consent_ledger WHERE subject_id = ?')
      .get(subjectId);
    expect(ledger).toEqual({ n: 3 });
  });

  it('/delete says breach notices addressed to the person stay, and why backups become unreadable', async () => {
    const h = await start(ENV);
    const t = h.app.services.i18n.translator(locale);
    await talk(h.app, 'ana', { localeHint: locale })
      .acceptEverything()
      .send('/delete')
      .expectReplies(([explain]) => {
        expect(explain?.text).toContain(PHRASES[locale].deleteKeepsBreachNotices);
        expect(explain?.text).toContain(PHRASES[locale].backups);
      });
    expect(t('delete.done', { retention: '' })).toContain(PHRASES[locale].deleteKeepsBreachNotices);
  });
});

describe('what the delete texts promise about breach notices', () => {
  it('is what erasure does: the notice shown to the person stays, under their pseudonymous id', async () => {
    const h = await start(ENV);
    const ana = h.chat('ana');
    await ana.press('consent:age:111:adult:en');
    const { stores, config, rights } = h.app.services;
    await recordBreach(
      stores,
      config,
      { what: 'backup-lost', occurredAt: new Date(Date.now() - 60_000), affected: [ana.subjectId] },
      new Date(),
    );
    const [shown] = await ana.send('hello');
    expect(shown?.text).toMatch(/Important notice about your data/);

    await rights.erase({ subjectId: ana.subjectId, origin: 'operator' });
    const notices = h.db.sqlite
      .prepare('SELECT count(*) AS n FROM breach_notices WHERE subject_id = ? AND notified_at IS NOT NULL')
      .get(ana.subjectId);
    expect(notices).toEqual({ n: 1 });
    const history = h.db.sqlite
      .prepare('SELECT count(*) AS n FROM history WHERE subject_id = ?')
      .get(ana.subjectId);
    expect(history).toEqual({ n: 0 });
  });
});
