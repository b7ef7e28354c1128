import { PURPOSE_NAME_KEYS } from '../../dialogs/privacy/purpose-names';
import { retentionText } from '../../dialogs/privacy/retention-text';
import type { Locale } from '../../src/i18n/locales';
import { PURPOSES } from '../../src/privacy/purposes';
import type { TestDatabase, startTestApp } from './test-app';

/**
 * Database checks shared by the engine-integrated adapter tests (test/adapters/<platform>/
 * engine.db.test.ts): the real channel on the real app, looked at from the platform's side and
 * from the database's.
 */

type TestApp = Awaited<ReturnType<typeof startTestApp>>;

/** The collections that hold a person's own data, and the field naming the person in each. */
const PERSONAL_COLLECTIONS = {
  history: 'subjectId',
  profiles: '_id',
  subjects: '_id',
  data_keys: 'subjectId',
  conversation_state: 'subjectId',
} as const;

/** Every collection the app registers, counted whether or not the database lists it. */
const APP_COLLECTIONS = [
  ...Object.keys(PERSONAL_COLLECTIONS),
  'consent_ledger',
  'rights_requests',
] as readonly string[];

function collection(db: TestDatabase, name: string) {
  return db.connection.db!.collection(name);
}

/** How many documents of each personal collection belong to `subjectId`. */
export async function personalDocumentCounts(
  db: TestDatabase,
  subjectId: string,
): Promise<Record<keyof typeof PERSONAL_COLLECTIONS, number>> {
  const counts = {} as Record<keyof typeof PERSONAL_COLLECTIONS, number>;
  for (const [name, field] of Object.entries(PERSONAL_COLLECTIONS)) {
    counts[name as keyof typeof PERSONAL_COLLECTIONS] = await collection(db, name).countDocuments({
      [field]: subjectId,
    });
  }
  return counts;
}

/** Documents per collection, for every collection of the database and every one the app uses. */
export async function documentCounts(db: TestDatabase): Promise<Record<string, number>> {
  const listed = await db.connection.db!.listCollections({}, { nameOnly: true }).toArray();
  const names = [...new Set([...APP_COLLECTIONS, ...listed.map((c) => c.name)])].sort();
  const counts: Record<string, number> = {};
  for (const name of names) counts[name] = await collection(db, name).countDocuments();
  return counts;
}

/** Stored nowhere: not one document in any collection. */
export async function expectDatabaseEmpty(db: TestDatabase): Promise<void> {
  const counts = await documentCounts(db);
  expect(counts).toEqual(Object.fromEntries(Object.keys(counts).map((name) => [name, 0])));
}

/** The history lines the person typed, oldest first, decrypted through the app's own store. */
export async function typedHistory(app: TestApp['app'], subjectId: string): Promise<string[]> {
  const entries = await app.services.stores.history.recent(subjectId, { limit: 100 });
  return entries
    .filter((entry) => entry.speaker === 'person')
    .map((entry) => entry.text)
    .reverse();
}

/** The engine's texts in one locale, so expectations follow the locale files instead of copying them. */
export function textsIn(harness: TestApp, locale: Locale) {
  const t = harness.app.services.i18n.translator(locale);
  const { privacy, retention } = harness.config;
  return {
    t,
    /** The consent notice a new person gets (dialogs/consent/notice.ts). */
    notice: t('consent.notice', {
      history: retentionText(t, retention.historyMs),
      profile: retentionText(t, retention.profileMs),
      policyVersion: privacy.policyVersion,
    }),
    /** The confirmation after granting every purpose. */
    savedAll: t('consent.saved', { purposes: PURPOSES.map((p) => t(PURPOSE_NAME_KEYS[p])).join(', ') }),
    /** The label of the age button that lets a grant through. */
    adultLabel: t('consent.ageAdult', { age: privacy.consentMinAge }),
    /** The reply to a confirmed /delete. */
    erased: t('delete.done', { retention: retentionText(t, retention.evidenceMs) }),
  };
}
