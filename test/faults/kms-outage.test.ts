import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { TextReply } from '../../src/core/messages';
import type { Locale } from '../../src/i18n/locales';
import { createLogger } from '../../src/logging/logger';
import { KmsDouble, type KmsFailure } from '../support/kms-double';
import { type TestApp, dumpDatabase, leaksIn, startTestApp } from '../support/test-app';

/**
 * Issue 12, item 7: the key provider (AWS KMS, here the JSON-protocol double) goes down or hangs
 * in the middle of a conversation, on the real app and a real SQLite file. The person gets an
 * apology in their own language, nothing is written in clear, no turn waits longer than the
 * configured KMS bound, and the first turn after KMS is back works as before.
 *
 * encrypted-history.test.ts covers GenerateDataKey failing for a person's very first storage
 * (English only, untimed). Here the person already has a key, and its cached copy runs out just
 * as KMS goes down (KEY_CACHE_MAX_AGE_SECONDS elapsed, or another worker takes the turn): every
 * turn from then on has to unwrap it again (Decrypt).
 */

const TIMEOUT_MS = 250;
const ATTEMPTS = 2;
/**
 * A correctness bound on a hang, not a performance figure: every attempt may use the whole
 * timeout, plus one second for the SDK's back-off between attempts and the turn's own work.
 */
const TURN_BOUND_MS = TIMEOUT_MS * ATTEMPTS + 1000;

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const RAW_ANA = 'ana-raw-kms-7731';
const RAW_CLEO = 'cleo-raw-kms-5521';

let kms: KmsDouble | undefined;
let harness: TestApp | undefined;

afterEach(async () => {
  await harness?.db.drop();
  harness = undefined;
  await kms?.close();
  kms = undefined;
});

async function start(logLines: string[]): Promise<{ h: TestApp; kms: KmsDouble }> {
  kms = await KmsDouble.start({ keyIds: ['key-a'] });
  harness = await startTestApp(
    {
      KEY_PROVIDER: 'aws',
      KMS_KEY_ID: 'key-a',
      KMS_ENDPOINT: kms.endpoint,
      KMS_TIMEOUT_MS: String(TIMEOUT_MS),
      KMS_MAX_ATTEMPTS: String(ATTEMPTS),
    },
    undefined,
    {
      logger: createLogger('debug', { write: (line: string) => void logLines.push(line) }),
      keyProviderOptions: { awsRegion: kms.region, awsCredentials: credentials },
    },
  );
  return { h: harness, kms };
}

function t(h: TestApp, locale: Locale, key: string): string {
  return h.app.services.i18n.translator(locale)(key);
}

async function timed(send: () => Promise<TextReply[]>): Promise<{ texts: string[]; ms: number }> {
  const started = performance.now();
  const replies = await send();
  const ms = performance.now() - started;
  return { texts: replies.map((reply) => reply.text), ms };
}

function historyCount(h: TestApp, subjectId: string): number {
  return (
    h.db.sqlite.prepare('SELECT count(*) AS n FROM history WHERE subject_id = ?').get(subjectId) as {
      n: number;
    }
  ).n;
}

/** Every file in DATA_DIR, as bytes decoded to text, plus every table value. */
async function everythingAtRest(h: TestApp): Promise<string> {
  const dump = await dumpDatabase(h.db);
  const files: string[] = [];
  for (const name of await fs.readdir(h.db.dir)) {
    files.push((await fs.readFile(path.join(h.db.dir, name))).toString('utf8'));
  }
  return `${dump.text}\n${files.join('\n')}`;
}

describe('key provider down or timing out mid-conversation (issue 12, item 7)', () => {
  it.each<[KmsFailure]>([['internal-error'], ['hang']])(
    'KMS %s: apologies in German and French within the bound, nothing in clear, the next turn after recovery works',
    async (failure) => {
      const logLines: string[] = [];
      const { h, kms } = await start(logLines);
      const ana = h.chat(RAW_ANA, { localeHint: 'de-DE' });
      const cleo = h.chat(RAW_CLEO, { localeHint: 'fr-FR' });

      // Before the outage: Ana has a key, a note, and the note comes back.
      await ana.press('consent:age:111:adult:de');
      expect((await ana.send('merk dir, dass der Spindcode 4711 ist')).map((r) => r.text)).toEqual([
        t(h, 'de', 'memory.remembered'),
      ]);
      const stored = historyCount(h, ana.subjectId);
      expect(stored).toBeGreaterThan(0);
      expect(h.db.keysSqlite.prepare('SELECT count(*) AS n FROM data_keys').get()).toEqual({ n: 1 });

      // The cached key expires as KMS goes down.
      h.app.encryption.cache.clear();
      kms.fail(failure);
      kms.resetCalls();

      // A turn that must read history: the whole turn is an apology, in German.
      const recall = await timed(() => ana.send('was habe ich dir erzählt?'));
      expect(recall.texts).toEqual([t(h, 'de', 'errors.keysUnavailable')]);
      expect(recall.ms).toBeLessThan(TURN_BOUND_MS);

      // A turn that only writes history: the answer comes with the "not saved" note, in German.
      const secret = 'merk dir, dass mein Fahrrad das grüne Klapprad ist';
      const note = await timed(() => ana.send(secret));
      expect(note.texts).toEqual([t(h, 'de', 'memory.remembered'), t(h, 'de', 'history.notSaved')]);
      expect(note.ms).toBeLessThan(TURN_BOUND_MS);

      // A newcomer whose key would be created now (GenerateDataKey), in French.
      const decided = await timed(() => cleo.press('consent:age:111:adult:fr'));
      expect(decided.texts.at(-1)).toBe(t(h, 'fr', 'history.notSaved'));
      expect(decided.ms).toBeLessThan(TURN_BOUND_MS);
      const cleoSecret = 'souviens-toi que mon code secret est Framboise';
      const cleoNote = await timed(() => cleo.send(cleoSecret));
      expect(cleoNote.texts).toEqual([t(h, 'fr', 'memory.remembered'), t(h, 'fr', 'history.notSaved')]);
      expect(cleoNote.ms).toBeLessThan(TURN_BOUND_MS);

      // The double really was asked (and failed or hung) for each of those turns.
      expect(kms.calls('Decrypt')).toBeGreaterThanOrEqual(2);
      expect(kms.calls('GenerateDataKey')).toBeGreaterThanOrEqual(1);

      // Nothing of the outage turns was stored, in clear or otherwise.
      expect(historyCount(h, ana.subjectId)).toBe(stored);
      expect(historyCount(h, cleo.subjectId)).toBe(0);
      expect(h.db.keysSqlite.prepare('SELECT count(*) AS n FROM data_keys').get()).toEqual({ n: 1 });
      const atRest = await everythingAtRest(h);
      expect(
        leaksIn(atRest, [
          secret,
          'Klapprad',
          cleoSecret,
          'Framboise',
          'Spindcode',
          '4711',
          RAW_ANA,
          RAW_CLEO,
        ]),
      ).toEqual([]);
      expect(
        leaksIn(logLines.join(''), [secret, 'Klapprad', cleoSecret, 'Framboise', RAW_ANA, RAW_CLEO]),
      ).toEqual([]);
      expect(logLines.join('')).toContain('"code":"KMS_UNAVAILABLE"');

      // KMS is back: the very next turns work, with nothing to repair.
      kms.fail(undefined);
      const [back] = await ana.send('was habe ich dir erzählt?');
      expect(back?.text).toContain(t(h, 'de', 'memory.recallIntro'));
      expect(back?.text).toContain('der Spindcode 4711 ist');
      expect((await ana.send('merk dir, dass der Zug um acht fährt')).map((r) => r.text)).toEqual([
        t(h, 'de', 'memory.remembered'),
      ]);
      expect((await cleo.send('souviens-toi que le train part à huit heures')).map((r) => r.text)).toEqual([
        t(h, 'fr', 'memory.remembered'),
      ]);
      const [cleoBack] = await cleo.send('qu’est-ce que je t’ai dit ?');
      expect(cleoBack?.text).toContain('le train part à huit heures');
      expect(cleoBack?.text).not.toContain('Framboise');
      expect(h.db.keysSqlite.prepare('SELECT count(*) AS n FROM data_keys').get()).toEqual({ n: 2 });
    },
    20_000,
  );
});
