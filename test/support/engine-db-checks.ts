import { noticeText } from '../../dialogs/consent/notice';
import { PURPOSE_NAME_KEYS } from '../../dialogs/privacy/purpose-names';
import { retentionText } from '../../dialogs/privacy/retention-text';
import type { Locale } from '../../src/i18n/locales';
import { PURPOSES } from '../../src/privacy/purposes';
import { type TestDatabase, tableNames } from './db';
import type { startTestApp } from './test-app';

/**
 * Database checks shared by the engine-integrated adapter tests (test/adapters/<platform>/
 * engine.test.ts): the real channel on the real app, looked at from the platform's side and
 * from the SQLite files'.
 */

type TestApp = Awaited<ReturnType<typeof startTestApp>>;

/** The tables that hold a person's own data (data file and key file), each naming them in `subject_id`. */
export const PERSONAL_TABLES = [
  'conversation_state',
  'data_keys',
  'history',
  'profile_fields',
  'profiles',
  'subjects',
] as const;
export type PersonalTable = (typeof PERSONAL_TABLES)[number];

/** The tables that keep pseudonymous evidence after an erasure, until their own expiry. */
export const EVIDENCE_TABLES = ['consent_ledger', 'rights_requests'] as const;

function handleFor(db: TestDatabase, table: string) {
  return table === 'data_keys' ? db.keysSqlite : db.sqlite;
}

function countRows(db: TestDatabase, table: string, subjectId?: string): number {
  const sql = `SELECT count(*) AS n FROM "${table}"${subjectId === undefined ? '' : ' WHERE subject_id = ?'}`;
  const statement = handleFor(db, table).prepare(sql);
  const row = (subjectId === undefined ? statement.get() : statement.get(subjectId)) as { n: number };
  return row.n;
}

/** How many rows of each personal table belong to `subjectId`. */
export async function personalDocumentCounts(
  db: TestDatabase,
  subjectId: string,
): Promise<Record<PersonalTable, number>> {
  return Promise.resolve(
    Object.fromEntries(PERSONAL_TABLES.map((table) => [table, countRows(db, table, subjectId)])) as Record<
      PersonalTable,
      number
    >,
  );
}

/** Rows per table, for every table of both files and every one the app uses. */
export async function documentCounts(db: TestDatabase): Promise<Record<string, number>> {
  const names = new Set<string>([...PERSONAL_TABLES, ...EVIDENCE_TABLES]);
  for (const handle of [db.sqlite, db.keysSqlite]) for (const name of tableNames(handle)) names.add(name);
  return Promise.resolve(Object.fromEntries([...names].sort().map((name) => [name, countRows(db, name)])));
}

/** Stored nowhere: not one row in any table. */
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
    /** The consent notice a new person gets: the locale text with the data map, controller and rights. */
    notice: noticeText(t, harness.config),
    /** The confirmation after granting every purpose. */
    savedAll: t('consent.saved', { purposes: PURPOSES.map((p) => t(PURPOSE_NAME_KEYS[p])).join(', ') }),
    /** The label of the age button that lets a grant through. */
    adultLabel: t('consent.ageAdult', { age: privacy.consentMinAge }),
    /** The reply to a confirmed /delete. */
    erased: t('delete.done', { retention: retentionText(t, { months: retention.evidenceMonths }) }),
  };
}
