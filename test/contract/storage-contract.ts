import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { loadConfig } from '../../src/config/config';
import { AppError } from '../../src/core/errors';
import {
  type EnvelopeEncryption,
  createEnvelopeEncryption,
} from '../../src/crypto/create-envelope-encryption';
import { createKeyProvider } from '../../src/crypto/create-key-provider';
import type { DataKeyRecord, DataKeyStore } from '../../src/crypto/data-key-store-port';
import { eraseSubject } from '../../src/privacy/rights/erasure';
import {
  ALL_PURPOSES,
  NO_PURPOSES,
  PURPOSES,
  type Purpose,
  type PurposeChoices,
} from '../../src/privacy/purposes';
import type {
  BreachRecord,
  ConsentLedgerEntry,
  ConversationState,
  HistoryEntryInput,
  RightsRequest,
  Stores,
  SubjectRecord,
} from '../../src/storage/ports';
import type { RightsRequestType } from '../../src/privacy/rights/request-types';
import { describeDataKeyStoreContract, sampleRecord } from '../integration/kms/data-key-store-contract';
import { type ContractHarness, type HarnessFactory, SpySealer, type StoredDump } from './harness';

/**
 * The storage contract (../shared/STORAGE-CONTRACT.md, clause ids in the describe names): one
 * suite every backend must pass, the pattern of botbuilder's storageBaseTests. Each test gets a
 * fresh, empty backend, the real envelope encryption on it (local master key), and a clock it
 * sets. Simulated time starts in 2040 so MongoDB's own TTL monitor never deletes anything under
 * a test; every probe sits at least one second away from an expiry.
 */

const SECOND = 1000;
const DAY = 24 * 60 * 60 * SECOND;
const T0 = new Date('2040-01-01T00:00:00.000Z');
/** The default expiry of what a test writes. */
const E = after(T0, 30 * DAY);
/** Evidence retention for subjects that are only there to have consented. */
const EVIDENCE = after(T0, 730 * DAY);

const A = 'subject-a';
const B = 'subject-b';
/** Ids a sloppy query confuses with A: a longer id, and LIKE wildcards. */
const NEIGHBOURS = ['subject-a2', 'subject_a', 'subject%', 'subject-'] as const;

const logger = pino({ level: 'silent' });
const keyConfig = loadConfig({
  APP_ENV: 'test',
  DATA_DIR: path.join(os.tmpdir(), 'storage-contract-unused'),
  LOCAL_MASTER_KEY: randomBytes(32).toString('base64'),
});

interface World {
  readonly harness: ContractHarness;
  readonly stores: Stores;
  readonly dataKeys: DataKeyStore;
  readonly encryption: EnvelopeEncryption;
  readonly sealer: SpySealer;
  readonly clock: { now: Date };
  sweep(now: Date, batchSize?: number): Promise<Readonly<Record<string, number>>>;
  /** Runs `read` with the clock at `time`, then puts the clock back. */
  at<T>(time: Date, read: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

async function openWorld(factory: HarnessFactory): Promise<World> {
  const harness = await factory();
  try {
    const provider = await createKeyProvider(keyConfig, logger);
    const encryption = createEnvelopeEncryption({
      config: keyConfig,
      provider,
      store: harness.dataKeys,
      logger,
    });
    const sealer = new SpySealer(encryption.cipher);
    const clock = { now: T0 };
    const stores = harness.createStores(sealer, () => clock.now);
    let closed = false;
    return {
      harness,
      stores,
      dataKeys: harness.dataKeys,
      encryption,
      sealer,
      clock,
      sweep: (now, batchSize) => harness.sweep(now, batchSize),
      at: async (time, read) => {
        const before = clock.now;
        clock.now = time;
        try {
          return await read();
        } finally {
          clock.now = before;
        }
      },
      close: async () => {
        if (closed) return;
        closed = true;
        encryption.close();
        await harness.close();
      },
    };
  } catch (error) {
    await harness.close();
    throw error;
  }
}

export function describeStorageContract(name: string, factory: HarnessFactory): void {
  describe(`storage contract: ${name}`, () => {
    let w: World;
    let s: Stores;
    const opened: World[] = [];

    beforeEach(async () => {
      w = await openWorld(factory);
      opened.push(w);
      s = w.stores;
    });

    afterEach(async () => {
      for (const world of opened.splice(0)) await world.close();
    });

    /** A consent decision on record, as the product has before it stores anything. */
    async function consented(...subjectIds: string[]): Promise<void> {
      for (const subjectId of subjectIds) await s.subjects.saveDecision(decision(subjectId), EVIDENCE);
    }

    /** Whether the subject record is readable with the clock at `time`. */
    function subjectSeenAt(subjectId: string, time: Date): Promise<boolean> {
      return w.at(time, async () => (await s.subjects.get(subjectId)) !== null);
    }

    describe('G1 a closed backend rejects every call with STORAGE_UNAVAILABLE', () => {
      it('rejects every store method, never resolving null or empty', async () => {
        await consented(A);
        await s.history.append([line(A, 'before the outage', T0)], E);
        await s.profiles.set(A, 'preferredName', 'Ada', T0, E);
        const request = await s.rightsRequests.open(requestInput(A, 'export', T0), E);
        await w.harness.close();

        const calls: Record<string, () => Promise<unknown>> = {
          'subjects.get': () => s.subjects.get(A),
          'subjects.saveDecision': () => s.subjects.saveDecision(decision(A), E),
          'subjects.setLocale': () => s.subjects.setLocale(A, 'de'),
          'subjects.setRestricted': () => s.subjects.setRestricted(A, true, T0),
          'personalData.eraseAllOf': () => s.personalData.eraseAllOf(A),
          'consentLedger.append': () => s.consentLedger.append([ledgerEntry(A)], E),
          'consentLedger.list': () => s.consentLedger.list(A),
          'conversations.load': () => s.conversations.load(A, 'c'),
          'conversations.save': () => s.conversations.save(A, 'c', dialogState('x'), E),
          'conversations.clear': () => s.conversations.clear(A, 'c'),
          'conversations.deleteAllOf': () => s.conversations.deleteAllOf(A),
          'history.append': () => s.history.append([line(A, 'during the outage', T0)], E),
          'history.recent': () => s.history.recent(A, { limit: 5 }),
          'history.recent(tag)': () => s.history.recent(A, { limit: 5, tag: 'note' }),
          'history.iterate': () => first(s.history.iterate(A)),
          'history.summary': () => s.history.summary(A),
          'history.deleteAllOf': () => s.history.deleteAllOf(A),
          'history.pause': () => s.history.pause(A, T0),
          'history.resume': () => s.history.resume(A, T0),
          'profiles.get': () => s.profiles.get(A),
          'profiles.describe': () => s.profiles.describe(A),
          'profiles.set': () => s.profiles.set(A, 'preferredName', 'Grace', T0, E),
          'profiles.deleteAllOf': () => s.profiles.deleteAllOf(A),
          'profiles.pause': () => s.profiles.pause(A, T0),
          'profiles.resume': () => s.profiles.resume(A, T0),
          'rightsRequests.open': () => s.rightsRequests.open(requestInput(A, 'access', T0), E),
          'rightsRequests.finish': () => s.rightsRequests.finish(request.id, 'completed', 'done', T0),
          'rightsRequests.list': () => s.rightsRequests.list({}),
          'rightsRequests.list(subject)': () => s.rightsRequests.list({ subjectId: A }),
          'rightsRequests.list(overdue)': () => s.rightsRequests.list({ overdueAt: T0, limit: 5 }),
          'rightsRequests.countCompleted': () => s.rightsRequests.countCompleted(A, 'export', T0),
          'usage.add': () => s.usage.add([{ day: '2040-01-01', feature: 'help', count: 1 }], E),
          'usage.list': () => s.usage.list('2040-01-01', '2040-01-31'),
        };
        expect(await outcomes(calls)).toEqual(allUnavailable(calls));
      });

      it('K3 rejects every data key store method', async () => {
        await w.dataKeys.insert(sampleRecord(A));
        await w.harness.close();
        const record = sampleRecord(B);
        const calls: Record<string, () => Promise<unknown>> = {
          'dataKeys.find': () => w.dataKeys.find(A),
          'dataKeys.insert': () => w.dataKeys.insert(record),
          'dataKeys.updateWrapped': () =>
            w.dataKeys.updateWrapped(A, record, {
              wrapped: randomBytes(69),
              providerKeyId: 'k2',
              provider: 'local',
              rotatedAt: T0,
            }),
          'dataKeys.delete': () => w.dataKeys.delete(A),
          'dataKeys.iterate': () => first(w.dataKeys.iterate(10)),
          'dataKeys.count': () => w.dataKeys.count(),
        };
        expect(await outcomes(calls)).toEqual(allUnavailable(calls));
      });

      it('rejects a retention pass', async () => {
        await w.harness.close();
        expect(await outcome(w.sweep(E))).not.toBe('resolved');
      });
    });

    describe('G2 dates keep their milliseconds and bytes come back identical', () => {
      it('returns every date as a Date with its milliseconds', async () => {
        const decidedAt = new Date('2040-01-02T03:04:05.678Z');
        const lineAt = new Date('2040-01-02T03:04:05.999Z');
        const expiresAt = new Date('2040-02-01T00:00:00.001Z');
        const updatedAt = new Date('2040-01-02T03:04:06.123Z');
        const receivedAt = new Date('2040-01-02T03:04:07.456Z');
        const dueAt = new Date('2040-02-01T03:04:07.789Z');
        const completedAt = new Date('2040-01-03T00:00:00.321Z');

        await s.subjects.saveDecision(decision(A, { decidedAt }), expiresAt);
        await s.consentLedger.append([ledgerEntry(A, { at: lineAt })], expiresAt);
        await s.history.append([line(A, 'hello', lineAt)], expiresAt);
        await s.profiles.set(A, 'preferredName', 'Ada', updatedAt, expiresAt);
        const request = await s.rightsRequests.open(requestInput(A, 'export', receivedAt, dueAt), expiresAt);
        await s.rightsRequests.finish(request.id, 'completed', 'exported 1', completedAt);

        const subject = await s.subjects.get(A);
        const [entry] = await s.consentLedger.list(A);
        const [historyLine] = await s.history.recent(A, { limit: 1 });
        const profile = await s.profiles.get(A);
        const described = await s.profiles.describe(A);
        const [stored] = await s.rightsRequests.list({ subjectId: A });
        const summary = await s.history.summary(A);

        const dates = {
          decidedAt: subject?.decidedAt,
          ledgerAt: entry?.at,
          historyAt: historyLine?.at,
          historyExpiresAt: historyLine?.expiresAt,
          profileUpdatedAt: profile?.updatedAt,
          profileExpiresAt: profile?.expiresAt,
          describedUpdatedAt: described?.updatedAt,
          receivedAt: stored?.receivedAt,
          dueAt: stored?.dueAt,
          completedAt: stored?.completedAt,
          summaryFirst: summary.first,
          summaryExpiresLast: summary.expiresLast,
        };
        for (const [field, value] of Object.entries(dates))
          expect([field, value instanceof Date]).toEqual([field, true]);
        expect(
          Object.fromEntries(Object.entries(dates).map(([field, value]) => [field, value?.getTime()])),
        ).toEqual({
          decidedAt: decidedAt.getTime(),
          ledgerAt: lineAt.getTime(),
          historyAt: lineAt.getTime(),
          historyExpiresAt: expiresAt.getTime(),
          profileUpdatedAt: updatedAt.getTime(),
          profileExpiresAt: expiresAt.getTime(),
          describedUpdatedAt: updatedAt.getTime(),
          receivedAt: receivedAt.getTime(),
          dueAt: dueAt.getTime(),
          completedAt: completedAt.getTime(),
          summaryFirst: lineAt.getTime(),
          summaryExpiresLast: expiresAt.getTime(),
        });
      });

      it('hands the sealer back exactly the bytes it sealed', async () => {
        await consented(A);
        await s.history.append(
          [line(A, 'one', T0), line(A, 'two', after(T0, SECOND)), line(A, 'three', after(T0, 2 * SECOND))],
          E,
        );
        await s.profiles.set(A, 'preferredName', 'Ada', T0, E);
        await s.history.recent(A, { limit: 10 });
        await s.profiles.get(A);

        expect(w.sealer.opens).toHaveLength(4);
        for (const opened of w.sealer.opens) {
          const sealed = w.sealer.seals.find(
            (call) =>
              call.subjectId === opened.subjectId &&
              call.collection === opened.collection &&
              call.documentId === opened.documentId,
          )?.sealed;
          expect(sealed).toBeDefined();
          expect({
            v: opened.field.v,
            kv: opened.field.kv,
            iv: opened.field.iv.toString('hex'),
            tag: opened.field.tag.toString('hex'),
            ct: opened.field.ct.toString('hex'),
          }).toEqual({
            v: sealed?.v,
            kv: sealed?.kv,
            iv: sealed?.iv.toString('hex'),
            tag: sealed?.tag.toString('hex'),
            ct: sealed?.ct.toString('hex'),
          });
        }
      });
    });

    describe('G3 limits are integers >= 1', () => {
      it.each([0, -1, 1.5, Number.NaN])('refuses limit %p on every limited read', async (limit) => {
        await consented(A);
        await s.history.append([line(A, 'a', T0, { tag: 'note' }), line(A, 'b', after(T0, SECOND))], E);
        await s.rightsRequests.open(requestInput(A, 'export', T0, after(T0, DAY)), E);
        const calls: Record<string, () => Promise<unknown>> = {
          'history.recent': () => s.history.recent(A, { limit }),
          'history.recent(tag)': () => s.history.recent(A, { limit, tag: 'note' }),
          'rightsRequests.list': () => s.rightsRequests.list({ limit }),
          'rightsRequests.list(subject)': () => s.rightsRequests.list({ subjectId: A, limit }),
          'rightsRequests.list(overdue)': () => s.rightsRequests.list({ overdueAt: E, limit }),
        };
        const results = await outcomes(calls);
        for (const [call, result] of Object.entries(results)) {
          // Any AppError code will do (the backends use STORAGE_REJECTED); resolving will not.
          expect([call, result === 'resolved' || result.startsWith('not an AppError')]).toEqual([
            call,
            false,
          ]);
        }
      });

      it('returns exactly one row for limit 1', async () => {
        await consented(A);
        await s.history.append(
          [line(A, 'a', T0, { tag: 'note' }), line(A, 'b', after(T0, SECOND), { tag: 'note' })],
          E,
        );
        await s.rightsRequests.open(requestInput(A, 'export', T0, after(T0, DAY)), E);
        await s.rightsRequests.open(requestInput(B, 'export', after(T0, SECOND), after(T0, DAY)), E);
        expect(await s.history.recent(A, { limit: 1 })).toHaveLength(1);
        expect(await s.history.recent(A, { limit: 1, tag: 'note' })).toHaveLength(1);
        expect(await s.rightsRequests.list({ limit: 1 })).toHaveLength(1);
        expect(await s.rightsRequests.list({ overdueAt: E, limit: 1 })).toHaveLength(1);
      });
    });

    describe('S1 a subject is unknown until a decision, then exactly as saved', () => {
      it('knows nobody before a decision', async () => {
        expect(await s.subjects.get(A)).toBeNull();
      });

      it('returns the saved decision, unrestricted, with underAge only when true', async () => {
        const record = decision(A, { locale: 'de' });
        await s.subjects.saveDecision(record, E);
        expect(await s.subjects.get(A)).toStrictEqual({ ...record, restricted: false });

        const grownUp = { ...decision(B), underAge: false };
        await s.subjects.saveDecision(grownUp, E);
        const stored = await s.subjects.get(B);
        expect(stored).not.toHaveProperty('underAge');
        expect(stored).toMatchObject({ subjectId: B, restricted: false });

        const child = { ...decision('subject-c'), underAge: true };
        await s.subjects.saveDecision(child, E);
        expect(await s.subjects.get('subject-c')).toStrictEqual({ ...child, restricted: false });
      });

      it('leaves locale out when none was saved', async () => {
        const { locale: _unused, ...record } = decision(A);
        await s.subjects.saveDecision(record, E);
        expect(await s.subjects.get(A)).toStrictEqual({ ...record, restricted: false });
      });
    });

    describe('S2 a later decision replaces version, purposes and time, and keeps the rest', () => {
      it('replaces policy version, purposes and decidedAt; keeps restricted, underAge and locale', async () => {
        await s.subjects.saveDecision({ ...decision(A, { locale: 'de' }), underAge: true }, E);
        const { locale: _unused, ...later } = decision(A, {
          policyVersion: '2040-06',
          purposes: { history: true, personalization: false, analytics: true },
          decidedAt: after(T0, DAY),
        });
        await s.subjects.saveDecision(later, after(E, DAY));
        expect(await s.subjects.get(A)).toStrictEqual({
          ...later,
          locale: 'de',
          underAge: true,
          restricted: false,
        });

        await s.subjects.saveDecision(decision(A, { decidedAt: after(T0, 2 * DAY), locale: 'fr' }), E);
        expect(await s.subjects.get(A)).toMatchObject({ locale: 'fr', underAge: true, restricted: false });
      });

      it('restarts the evidence clock with the later decision', async () => {
        await s.subjects.saveDecision(decision(A), E);
        const later = after(E, 10 * DAY);
        await s.subjects.saveDecision(decision(A, { decidedAt: after(T0, DAY) }), later);
        expect(await subjectSeenAt(A, after(E, DAY))).toBe(true);
        await w.sweep(after(E, DAY));
        expect(await subjectSeenAt(A, after(E, DAY))).toBe(true);
        expect(await subjectSeenAt(A, after(later, SECOND))).toBe(false);
      });
    });

    describe('S3 setLocale and setRestricted on an unknown subject create nothing', () => {
      it('creates no record and stores nothing', async () => {
        await settle(s.subjects.setLocale(A, 'de'));
        await settle(s.subjects.setRestricted(A, true, T0));
        await settle(s.subjects.setRestricted(A, false, after(T0, DAY)));
        expect(await s.subjects.get(A)).toBeNull();
        expect(rowsNaming(await w.harness.dump(), A)).toEqual([]);
      });

      it('changes only the locale of a known subject', async () => {
        const record = decision(A, { locale: 'en' });
        await s.subjects.saveDecision(record, E);
        await s.subjects.setLocale(A, 'es');
        expect(await s.subjects.get(A)).toStrictEqual({ ...record, locale: 'es', restricted: false });
      });
    });

    describe('S4 restriction pauses the subject record expiry and lifting it resumes', () => {
      const t1 = after(T0, 10 * DAY); // 20 days were left
      const t2 = after(E, 5 * DAY);
      const resumedExpiry = after(t2, 20 * DAY);

      it('keeps a restricted subject past its expiry and expires it the time that was left after lifting', async () => {
        await s.subjects.saveDecision(decision(A), E);
        await s.subjects.setRestricted(A, true, t1);
        expect(await s.subjects.get(A)).toMatchObject({ restricted: true });

        await w.sweep(after(E, DAY));
        expect(await w.at(after(E, DAY), () => s.subjects.get(A))).toMatchObject({ restricted: true });

        await s.subjects.setRestricted(A, false, t2);
        expect(await w.at(t2, () => s.subjects.get(A))).toMatchObject({ restricted: false });
        expect(await subjectSeenAt(A, after(resumedExpiry, -SECOND))).toBe(true);
        expect(await subjectSeenAt(A, after(resumedExpiry, SECOND))).toBe(false);

        await w.sweep(after(resumedExpiry, -SECOND));
        expect(await subjectSeenAt(A, t2)).toBe(true);
        await w.sweep(after(resumedExpiry, SECOND));
        expect(await subjectSeenAt(A, t2)).toBe(false);
      });

      it('changes nothing when either call is repeated', async () => {
        await s.subjects.saveDecision(decision(A), E);
        await s.subjects.setRestricted(A, true, t1);
        await s.subjects.setRestricted(A, true, after(t1, 5 * DAY));
        await s.subjects.setRestricted(A, false, t2);
        await s.subjects.setRestricted(A, false, after(t2, 3 * DAY));
        expect(await subjectSeenAt(A, after(resumedExpiry, -SECOND))).toBe(true);
        expect(await subjectSeenAt(A, after(resumedExpiry, SECOND))).toBe(false);
      });
    });

    describe('S5 a decision on a restricted subject keeps it restricted and paused', () => {
      it('stays restricted, survives sweeps, and resumes with the time that was left', async () => {
        const t1 = after(T0, 10 * DAY);
        const t3 = after(T0, 12 * DAY);
        // 20 days left at the restriction, 20 days in the new decision: the same either way.
        const laterExpiry = after(t3, 20 * DAY);
        await s.subjects.saveDecision(decision(A), E);
        await s.subjects.setRestricted(A, true, t1);
        await w.at(t3, () =>
          s.subjects.saveDecision(
            decision(A, { policyVersion: '2040-06', purposes: NO_PURPOSES, decidedAt: t3 }),
            laterExpiry,
          ),
        );
        expect(await s.subjects.get(A)).toMatchObject({ restricted: true, policyVersion: '2040-06' });

        await w.sweep(after(laterExpiry, DAY));
        expect(await w.at(after(laterExpiry, DAY), () => s.subjects.get(A))).toMatchObject({
          restricted: true,
        });

        const t4 = after(laterExpiry, 5 * DAY);
        await s.subjects.setRestricted(A, false, t4);
        expect(await subjectSeenAt(A, after(t4, 20 * DAY - SECOND))).toBe(true);
        expect(await subjectSeenAt(A, after(t4, 20 * DAY + SECOND))).toBe(false);
      });
    });

    describe('S6 erasure and expiry of a subject', () => {
      it('erasure reports the consent state deleted, then nothing left', async () => {
        await s.subjects.saveDecision(decision(A), E);
        await s.conversations.save(A, 'c', dialogState('x'), E);
        expect(await s.personalData.eraseAllOf(A)).toEqual({
          consentState: true,
          conversations: 1,
          history: 0,
          profile: false,
        });
        expect(await s.personalData.eraseAllOf(A)).toEqual({
          consentState: false,
          conversations: 0,
          history: 0,
          profile: false,
        });
        expect(await s.subjects.get(A)).toBeNull();
      });

      it('is removed by a sweep past its expiry, not before', async () => {
        await s.subjects.saveDecision(decision(A), E);
        await s.subjects.saveDecision(decision(B), after(E, DAY));
        await w.sweep(after(E, -SECOND));
        expect(await subjectSeenAt(A, T0)).toBe(true);
        await w.sweep(after(E, SECOND));
        expect(await subjectSeenAt(A, T0)).toBe(false);
        expect(await subjectSeenAt(B, T0)).toBe(true);
      });
    });

    describe('L1 the consent ledger lists entries unchanged, oldest first, ties in append order', () => {
      it('orders by time and keeps append order for equal times, across batches', async () => {
        const t = after(T0, 10 * SECOND);
        const late = ledgerEntry(A, { at: after(t, SECOND), noticeHash: 'h-late' });
        const tie1 = ledgerEntry(A, { at: t, purpose: 'history', noticeHash: 'h-tie-1' });
        const tie2 = ledgerEntry(A, {
          at: t,
          purpose: 'analytics',
          decision: 'denied',
          noticeHash: 'h-tie-2',
        });
        const early = ledgerEntry(A, {
          at: T0,
          purpose: 'personalization',
          channel: 'telegram',
          noticeHash: 'h-early',
        });
        const tie3 = ledgerEntry(A, { at: t, decision: 'withdrawn', locale: 'fr', noticeHash: 'h-tie-3' });
        const tie4 = ledgerEntry(A, { at: t, policyVersion: 'p-9', noticeHash: 'h-tie-4' });
        await s.consentLedger.append([late, tie1, tie2, early], E);
        await s.consentLedger.append([tie3, tie4], E);
        expect(await s.consentLedger.list(A)).toStrictEqual([early, tie1, tie2, tie3, tie4, late]);
      });
    });

    describe('L2 concurrent appends to the consent ledger are all kept', () => {
      it('keeps every entry of every concurrent batch', async () => {
        const batches = Array.from({ length: 10 }, (_, batch) =>
          PURPOSES.map((purpose) =>
            ledgerEntry(A, { purpose, noticeHash: `h-${batch}`, at: after(T0, batch) }),
          ),
        );
        await Promise.all(batches.map((entries) => s.consentLedger.append(entries, E)));
        const listed = await s.consentLedger.list(A);
        expect(listed).toHaveLength(30);
        expect(new Set(listed.map((entry) => `${entry.noticeHash}/${entry.purpose}`)).size).toBe(30);
      });
    });

    describe('L3 a ledger batch with one invalid entry stores none of it', () => {
      const invalid: Record<string, Partial<Record<keyof ConsentLedgerEntry, unknown>>> = {
        'an unknown purpose': { purpose: 'mind-reading' },
        'an unknown decision': { decision: 'maybe' },
        'an invalid date': { at: new Date(Number.NaN) },
        'an empty subject id': { subjectId: '' },
      };
      it.each(Object.keys(invalid))('rejects a batch holding %s and stores none of it', async (which) => {
        const good = ledgerEntry(A, { noticeHash: 'h-good-entry' });
        const bad = {
          ...ledgerEntry(A, { noticeHash: 'h-bad-entry' }),
          ...invalid[which],
        } as unknown as ConsentLedgerEntry;
        const result = await outcome(s.consentLedger.append([good, bad, ledgerEntry(A)], E));
        expect(result).not.toBe('resolved');
        expect(await s.consentLedger.list(A)).toEqual([]);
        expect(dumpText(await w.harness.dump())).not.toContain('h-good-entry');
      });
    });

    describe('L4 the consent ledger outlives erasure and expires entry by entry', () => {
      it('keeps the ledger through an erasure', async () => {
        await consented(A);
        await s.consentLedger.append([ledgerEntry(A), ledgerEntry(A, { purpose: 'analytics' })], E);
        await eraseSubject(s, w.encryption.dataKeys, A);
        expect(await s.consentLedger.list(A)).toHaveLength(2);
      });

      it('hides and removes each entry after its own expiry, not before', async () => {
        const laterExpiry = after(E, 10 * DAY);
        await s.consentLedger.append([ledgerEntry(A, { noticeHash: 'h-first' })], E);
        await s.consentLedger.append(
          [ledgerEntry(A, { noticeHash: 'h-second', at: after(T0, DAY) })],
          laterExpiry,
        );
        const hashes = async (time: Date) =>
          (await w.at(time, () => s.consentLedger.list(A))).map((entry) => entry.noticeHash);

        expect(await hashes(after(E, -SECOND))).toEqual(['h-first', 'h-second']);
        expect(await hashes(after(E, SECOND))).toEqual(['h-second']);
        await w.sweep(after(E, -SECOND));
        expect(await hashes(T0)).toEqual(['h-first', 'h-second']);
        await w.sweep(after(E, SECOND));
        expect(await hashes(T0)).toEqual(['h-second']);
        await w.sweep(after(laterExpiry, SECOND));
        expect(await hashes(T0)).toEqual([]);
      });
    });

    describe('L5 the consent ledger is per subject and keeps entries whose values are retired', () => {
      it("never lists another subject's entries", async () => {
        for (const subjectId of [A, B, ...NEIGHBOURS])
          await s.consentLedger.append([ledgerEntry(subjectId, { noticeHash: `h-${subjectId}` })], E);
        for (const subjectId of [A, B, ...NEIGHBOURS]) {
          const listed = await s.consentLedger.list(subjectId);
          expect(listed.map((entry) => [entry.subjectId, entry.noticeHash])).toEqual([
            [subjectId, `h-${subjectId}`],
          ]);
        }
      });

      it('still returns entries whose purpose or locale is no longer known', async () => {
        const current = ledgerEntry(A, { noticeHash: 'h-current', at: after(T0, SECOND) });
        const retired = ledgerEntry(A, { purpose: 'analytics', locale: 'fr', noticeHash: 'h-retired' });
        await s.consentLedger.append([retired, current], E);
        await w.harness.retireLedgerValues('h-retired', 'usage-statistics', 'pt');
        expect(await s.consentLedger.list(A)).toStrictEqual([
          { ...retired, purpose: 'usage-statistics', locale: 'pt' },
          current,
        ]);
      });
    });

    describe('C1 conversation state loads as saved', () => {
      it.each<[string, ConversationState]>([
        ['with data', dialogState('call-me', { field: 'preferredName', attempt: '2', note: 'ünïcødé 😀' })],
        ['without data', { activeDialog: { dialogId: 'delete', step: 'confirm' } }],
      ])('round-trips a dialog %s', async (_label, state) => {
        await s.conversations.save(A, 'c', state, E);
        expect(await s.conversations.load(A, 'c')).toStrictEqual(state);
      });
    });

    describe('C2 a second save replaces the state', () => {
      it('drops keys the second state no longer has and moves the expiry', async () => {
        await s.conversations.save(A, 'c', dialogState('call-me', { a: '1', b: '2' }), E);
        const second = dialogState('call-me', { c: '3' });
        const laterExpiry = after(E, 10 * DAY);
        await s.conversations.save(A, 'c', second, laterExpiry);
        expect(await s.conversations.load(A, 'c')).toStrictEqual(second);
        expect(await w.at(after(E, SECOND), () => s.conversations.load(A, 'c'))).toStrictEqual(second);

        const third: ConversationState = { activeDialog: { dialogId: 'delete', step: 'confirm' } };
        await s.conversations.save(A, 'c', third, E);
        expect(await s.conversations.load(A, 'c')).toStrictEqual(third);
      });
    });

    describe('C3 conversation states are independent per subject and conversation', () => {
      it('never mixes up ids that contain ":" or are prefixes of each other', async () => {
        const pairs: [string, string][] = [
          ['s', 'c1'],
          ['s', 'c2'],
          ['s1', 'c'],
          ['s2', 'c'],
          ['a:b', 'c'],
          ['a', 'b:c'],
          ['s', 'c'],
          ['s', 'c1x'],
          ['ab', 'c'],
          ['a', 'bc'],
        ];
        for (const [subjectId, conversationId] of pairs)
          await s.conversations.save(
            subjectId,
            conversationId,
            dialogState(`${subjectId}|${conversationId}`),
            E,
          );
        for (const [subjectId, conversationId] of pairs)
          expect(await s.conversations.load(subjectId, conversationId)).toStrictEqual(
            dialogState(`${subjectId}|${conversationId}`),
          );

        await s.conversations.clear('a:b', 'c');
        expect(await s.conversations.load('a:b', 'c')).toBeNull();
        expect(await s.conversations.load('a', 'b:c')).toStrictEqual(dialogState('a|b:c'));

        expect(await s.conversations.deleteAllOf('a')).toBe(2); // 'b:c' and 'bc'
        expect(await s.conversations.load('ab', 'c')).toStrictEqual(dialogState('ab|c'));
        expect(await s.conversations.deleteAllOf('s')).toBe(4);
        expect(await s.conversations.load('s1', 'c')).toStrictEqual(dialogState('s1|c'));
        expect(await s.conversations.load('s2', 'c')).toStrictEqual(dialogState('s2|c'));
      });
    });

    describe('C4 conversation state is gone once it expires, before any sweep', () => {
      it('hides expired state, and the sweep removes it', async () => {
        await s.conversations.save(A, 'c', dialogState('call-me'), E);
        expect(await w.at(after(E, -SECOND), () => s.conversations.load(A, 'c'))).not.toBeNull();
        expect(await w.at(after(E, SECOND), () => s.conversations.load(A, 'c'))).toBeNull();
        await w.sweep(after(E, -SECOND));
        expect(await s.conversations.load(A, 'c')).not.toBeNull();
        await w.sweep(after(E, SECOND));
        expect(await s.conversations.load(A, 'c')).toBeNull();
        expect(rowsNaming(await w.harness.dump(), A)).toEqual([]);
      });
    });

    describe('C5 clear and deleteAllOf', () => {
      it('clears nothing without complaint, counts what it deletes, and spares others', async () => {
        await expect(s.conversations.clear(A, 'nothing-here')).resolves.toBeUndefined();
        for (const conversationId of ['c1', 'c2', 'c3'])
          await s.conversations.save(A, conversationId, dialogState('x'), E);
        await s.conversations.save(B, 'c1', dialogState('b'), E);
        expect(await s.conversations.deleteAllOf(A)).toBe(3);
        expect(await s.conversations.deleteAllOf(A)).toBe(0);
        expect(await s.conversations.load(A, 'c1')).toBeNull();
        expect(await s.conversations.load(B, 'c1')).toStrictEqual(dialogState('b'));
      });
    });

    describe('H1 an empty history append stores nothing', () => {
      it('never calls the sealer and stores nothing', async () => {
        await consented(A);
        await s.history.append([], E);
        expect(w.sealer.seals).toHaveLength(0);
        expect(await s.history.summary(A)).toStrictEqual({ count: 0, paused: 0 });
        expect(await w.dataKeys.count()).toBe(0);
      });
    });

    describe('H2 recent is newest first, limited, ties in reverse append order', () => {
      it('returns at most limit entries, newest first, with everything as appended', async () => {
        await consented(A);
        const t = after(T0, 10 * SECOND);
        const text = 'ünïcødé 😀 \u0000 nul and RTL \u05e9\u05dc\u05d5\u05dd ' + 'x'.repeat(4000);
        await s.history.append(
          [line(A, 'oldest', T0), line(A, 'tie-1', t), line(A, text, after(t, -SECOND))],
          E,
        );
        await s.history.append(
          [line(A, 'tie-2', t, { tag: 'note', speaker: 'bot', conversationId: 'c-2' }), line(A, 'tie-3', t)],
          E,
        );
        await s.history.append([line(A, 'newest', after(t, SECOND))], E);

        const recent = await s.history.recent(A, { limit: 4 });
        expect(recent.map((entry) => entry.text)).toEqual(['newest', 'tie-3', 'tie-2', 'tie-1']);
        const all = await s.history.recent(A, { limit: 100 });
        expect(all.map((entry) => entry.text)).toEqual(['newest', 'tie-3', 'tie-2', 'tie-1', text, 'oldest']);
        expect(new Set(all.map((entry) => entry.id)).size).toBe(6);

        const tagged = all.find((entry) => entry.text === 'tie-2');
        expect(tagged).toStrictEqual({
          id: tagged?.id,
          subjectId: A,
          conversationId: 'c-2',
          speaker: 'bot',
          tag: 'note',
          text: 'tie-2',
          at: t,
          expiresAt: E,
        });
        for (const entry of all.filter((candidate) => candidate.text !== 'tie-2')) {
          expect(entry).not.toHaveProperty('tag');
          expect(entry.expiresAt).toEqual(E);
          expect(typeof entry.id).toBe('string');
        }
      });
    });

    describe('H3 recent with a tag filters first, then limits', () => {
      it('finds the tagged entries behind newer untagged ones', async () => {
        await consented(A);
        await s.history.append(
          [
            line(A, 'note 1', T0, { tag: 'note' }),
            line(A, 'note 2', after(T0, SECOND), { tag: 'note' }),
            ...Array.from({ length: 5 }, (_, index) =>
              line(A, `chat ${index}`, after(T0, (index + 2) * SECOND)),
            ),
          ],
          E,
        );
        expect((await s.history.recent(A, { limit: 2, tag: 'note' })).map((entry) => entry.text)).toEqual([
          'note 2',
          'note 1',
        ]);
        expect((await s.history.recent(A, { limit: 1, tag: 'note' })).map((entry) => entry.text)).toEqual([
          'note 2',
        ]);
        expect(await s.history.recent(A, { limit: 5, tag: 'other' })).toEqual([]);
      });
    });

    describe('H4 iterate yields every entry once, oldest first', () => {
      it('walks more than 1,000 entries with shared timestamps in the reverse order of recent', async () => {
        await consented(A, B);
        const total = 1205;
        const inputs = Array.from({ length: total }, (_, index) =>
          line(A, `line ${index}`, after(T0, Math.floor(index / 7) * SECOND)),
        );
        for (let start = 0; start < total; start += 500)
          await s.history.append(inputs.slice(start, start + 500), E);
        await s.history.append([line(B, 'not A', T0)], E);

        const iterated = await collect(s.history.iterate(A));
        expect(iterated.map((entry) => entry.text)).toEqual(inputs.map((input) => input.text));
        expect(new Set(iterated.map((entry) => entry.id)).size).toBe(total);
        const recent = await s.history.recent(A, { limit: 5000 });
        expect(iterated.map((entry) => entry.id)).toEqual(recent.map((entry) => entry.id).reverse());
      });

      it('lets other calls write while an export is between entries', async () => {
        await consented(A, B);
        await s.history.append(
          Array.from({ length: 5 }, (_, index) => line(A, `line ${index}`, after(T0, index * SECOND))),
          E,
        );
        const seen: string[] = [];
        for await (const entry of s.history.iterate(A)) {
          seen.push(entry.text);
          await s.history.append([line(B, `written during export ${seen.length}`, T0)], E);
          await s.subjects.setLocale(B, seen.length % 2 === 0 ? 'de' : 'fr');
          await s.conversations.save(B, 'c', dialogState(`step ${seen.length}`), E);
        }
        expect(seen).toEqual(['line 0', 'line 1', 'line 2', 'line 3', 'line 4']);
        expect((await s.history.summary(B)).count).toBe(5);
      });

      it('releases everything when the consumer stops early', async () => {
        await consented(A, B);
        await s.history.append(
          Array.from({ length: 20 }, (_, index) => line(A, `line ${index}`, after(T0, index * SECOND))),
          E,
        );
        let taken = 0;
        for await (const entry of s.history.iterate(A)) {
          expect(entry.text).toBe(`line ${taken}`);
          if (++taken === 3) break;
        }
        await s.history.append([line(B, 'after the early stop', T0)], E);
        await s.subjects.saveDecision(decision(B, { decidedAt: after(T0, DAY) }), EVIDENCE);
        expect(await s.history.deleteAllOf(B)).toBe(1);
        expect(await collect(s.history.iterate(A))).toHaveLength(20);
      });
    });

    describe('H5 summary counts and dates without decrypting', () => {
      it('is {count: 0, paused: 0} for nobody', async () => {
        expect(await s.history.summary(A)).toStrictEqual({ count: 0, paused: 0 });
      });

      it('reports count, time range and the expiry range over running entries only', async () => {
        await consented(A);
        const laterExpiry = after(E, 10 * DAY);
        await s.history.append([line(A, 'one', T0), line(A, 'two', after(T0, 5 * SECOND))], E);
        await s.history.append([line(A, 'three', after(T0, 9 * SECOND))], laterExpiry);
        const sealerCalls = () => w.sealer.seals.length + w.sealer.opens.length;
        const callsBeforeSummaries = sealerCalls();

        expect(await s.history.summary(A)).toStrictEqual({
          count: 3,
          first: T0,
          last: after(T0, 9 * SECOND),
          expiresFirst: E,
          expiresLast: laterExpiry,
          paused: 0,
        });

        await s.history.pause(A, after(T0, DAY));
        expect(await s.history.summary(A)).toStrictEqual({
          count: 3,
          first: T0,
          last: after(T0, 9 * SECOND),
          paused: 3,
        });

        const newest = after(T0, DAY + SECOND);
        const newestExpiry = after(E, 20 * DAY);
        await s.history.append([line(A, 'four', newest)], newestExpiry); // A is not restricted: it runs
        expect(sealerCalls()).toBe(callsBeforeSummaries + 1); // that one seal; no summary called the sealer
        expect(await s.history.summary(A)).toStrictEqual({
          count: 4,
          first: T0,
          last: newest,
          expiresFirst: newestExpiry,
          expiresLast: newestExpiry,
          paused: 3,
        });
        expect(sealerCalls()).toBe(callsBeforeSummaries + 1);
      });

      it('works after the data key is shredded', async () => {
        await consented(A);
        await s.history.append([line(A, 'one', T0), line(A, 'two', after(T0, SECOND))], E);
        await w.encryption.dataKeys.shred(A);
        expect(await s.history.summary(A)).toStrictEqual({
          count: 2,
          first: T0,
          last: after(T0, SECOND),
          expiresFirst: E,
          expiresLast: E,
          paused: 0,
        });
      });
    });

    describe('H6 pausing and resuming the history clock', () => {
      const t = after(T0, 10 * DAY);
      const t2 = after(T0, 50 * DAY);
      const laterExpiry = after(T0, 40 * DAY);

      async function twoEntries(): Promise<void> {
        await consented(A);
        await s.history.append([line(A, 'runs out first', T0)], E);
        await s.history.append([line(A, 'runs out later', after(T0, SECOND))], laterExpiry);
      }

      const expiries = async (time: Date) =>
        (await w.at(time, () => s.history.recent(A, { limit: 10 }))).map((entry) => [
          entry.text,
          entry.expiresAt,
        ]);

      it('nulls every expiry on pause and gives back the time that was left on resume', async () => {
        await twoEntries();
        await s.history.pause(A, t);
        expect(await expiries(t)).toEqual([
          ['runs out later', null],
          ['runs out first', null],
        ]);
        const summary = await s.history.summary(A);
        expect(summary.paused).toBe(summary.count);

        await s.history.pause(A, after(t, 5 * DAY)); // a second pause keeps the time that was left
        await s.history.resume(A, t2);
        const resumed = [
          ['runs out later', after(t2, 30 * DAY)],
          ['runs out first', after(t2, 20 * DAY)],
        ];
        expect(await expiries(t2)).toEqual(resumed);

        await s.history.resume(A, after(t2, DAY)); // nothing is paused any more
        expect(await expiries(t2)).toEqual(resumed);
      });

      it('changes nothing on resume without a pause', async () => {
        await twoEntries();
        await s.history.resume(A, t);
        expect(await expiries(T0)).toEqual([
          ['runs out later', laterExpiry],
          ['runs out first', E],
        ]);
      });
    });

    describe('H7 a sweep removes expired history and keeps the rest', () => {
      it('removes passed entries, keeps later and paused ones', async () => {
        await consented(A, B);
        const laterExpiry = after(E, 10 * DAY);
        await s.history.append([line(A, 'expires', T0)], E);
        await s.history.append([line(A, 'stays', T0)], laterExpiry);
        await s.history.append([line(B, 'paused', T0)], E);
        await s.history.pause(B, after(T0, DAY));

        await w.sweep(after(E, -SECOND));
        expect((await s.history.recent(A, { limit: 10 })).map((entry) => entry.text)).toEqual([
          'stays',
          'expires',
        ]);
        await w.sweep(after(E, SECOND));
        expect((await s.history.recent(A, { limit: 10 })).map((entry) => entry.text)).toEqual(['stays']);
        expect(await s.history.recent(B, { limit: 10 })).toMatchObject([{ text: 'paused', expiresAt: null }]);
      });

      it('removes every expired row in one pass, also with a small batch size', async () => {
        await consented(A);
        await s.history.append(
          Array.from({ length: 7 }, (_, index) => line(A, `line ${index}`, after(T0, index))),
          E,
        );
        const counts = await w.sweep(after(E, SECOND), 2);
        expect(Object.values(counts).reduce((sum, count) => sum + count, 0)).toBe(7);
        expect(await s.history.summary(A)).toStrictEqual({ count: 0, paused: 0 });
      });
    });

    describe('H8 history is sealed per entry id, all or nothing, never stored in clear', () => {
      it('seals (subject, "history", entry id, text) with the id the entry is read back with', async () => {
        await consented(A);
        await s.history.append(
          [line(A, 'first words', T0), line(A, 'second words', after(T0, SECOND), { tag: 'note' })],
          E,
        );
        const read = await s.history.recent(A, { limit: 10 });
        expect(
          w.sealer.seals
            .map((call) => [call.subjectId, call.collection, call.documentId, call.plaintext])
            .sort(),
        ).toEqual(read.map((entry) => [A, 'history', entry.id, entry.text]).sort());
      });

      it('stores nothing of a batch when one entry fails to seal', async () => {
        await consented(A);
        await s.history.append([line(A, 'kept', T0)], E);
        w.sealer.failSeal(2);
        const result = await outcome(
          s.history.append(
            [
              line(A, 'lost 1', after(T0, SECOND)),
              line(A, 'lost 2', after(T0, 2 * SECOND)),
              line(A, 'lost 3', after(T0, 3 * SECOND)),
            ],
            E,
          ),
        );
        expect(result).not.toBe('resolved');
        expect((await s.history.recent(A, { limit: 10 })).map((entry) => entry.text)).toEqual(['kept']);
        expect((await s.history.summary(A)).count).toBe(1);
      });

      it('never writes the text, or a profile value, in clear', async () => {
        await consented(A);
        await s.history.append([line(A, 'the code is Zebra-Plaintext-4711', T0, { tag: 'note' })], E);
        await s.profiles.set(A, 'preferredName', 'Ada-Plaintext-Lovelace', T0, E);
        const text = dumpText(await w.harness.dump());
        expect(text).not.toContain('Zebra-Plaintext-4711');
        expect(text).not.toContain('Ada-Plaintext-Lovelace');
        expect(text).toContain(A); // the dump does see the rows
      });
    });

    describe('H9 history is unreadable once the key is shredded', () => {
      it('rejects recent and iterate with KEY_SHREDDED', async () => {
        await consented(A);
        await s.history.append([line(A, 'secret', T0)], E);
        await w.encryption.dataKeys.shred(A);
        await expect(s.history.recent(A, { limit: 5 })).rejects.toMatchObject({ code: 'KEY_SHREDDED' });
        await expect(first(s.history.iterate(A))).rejects.toMatchObject({ code: 'KEY_SHREDDED' });
      });
    });

    describe('H10 concurrent history appends for one subject are all kept', () => {
      it('keeps every entry of 20 concurrent appends', async () => {
        await consented(A);
        await Promise.all(
          Array.from({ length: 20 }, (_, batch) =>
            s.history.append(
              [0, 1, 2].map((index) => line(A, `batch ${batch} line ${index}`, after(T0, batch * SECOND))),
              E,
            ),
          ),
        );
        const all = await collect(s.history.iterate(A));
        expect(all).toHaveLength(60);
        expect(new Set(all.map((entry) => entry.id)).size).toBe(60);
        expect(new Set(all.map((entry) => entry.text)).size).toBe(60);
      });
    });

    describe("H11 no call for one subject reads or changes another's rows", () => {
      it('keeps neighbours (longer ids, LIKE wildcards) untouched by every call for A', async () => {
        const everyone = [A, ...NEIGHBOURS];
        await consented(...everyone);
        for (const subjectId of everyone) {
          await s.history.append(
            [line(subjectId, `${subjectId} one`, T0), line(subjectId, `${subjectId} two`, after(T0, SECOND))],
            E,
          );
          await s.profiles.set(subjectId, 'preferredName', `name of ${subjectId}`, T0, E);
          await s.conversations.save(subjectId, 'c', dialogState(subjectId), E);
        }
        const snapshot = async (subjectId: string) => ({
          recent: await s.history.recent(subjectId, { limit: 10 }),
          iterated: await collect(s.history.iterate(subjectId)),
          summary: await s.history.summary(subjectId),
          profile: await s.profiles.get(subjectId),
          described: await s.profiles.describe(subjectId),
          state: await s.conversations.load(subjectId, 'c'),
          subject: await s.subjects.get(subjectId),
        });
        const before = await Promise.all(NEIGHBOURS.map(snapshot));

        const own = await snapshot(A);
        expect(own.recent.map((entry) => entry.subjectId)).toEqual([A, A]);
        expect(own.iterated.map((entry) => entry.text)).toEqual([`${A} one`, `${A} two`]);
        expect(own.summary.count).toBe(2);
        expect(own.profile?.fields).toEqual({ preferredName: `name of ${A}` });

        await s.history.pause(A, after(T0, DAY));
        await s.profiles.pause(A, after(T0, DAY));
        await s.subjects.setRestricted(A, true, after(T0, DAY));
        await s.history.resume(A, after(T0, 2 * DAY));
        await s.profiles.resume(A, after(T0, 2 * DAY));
        await s.subjects.setRestricted(A, false, after(T0, 2 * DAY));
        await s.subjects.setLocale(A, 'fr');
        await s.profiles.set(A, 'preferredName', 'changed', after(T0, 3 * DAY), E);
        await s.conversations.clear(A, 'c');
        expect(await s.history.deleteAllOf(A)).toBe(2);
        expect(await s.profiles.deleteAllOf(A)).toBe(true);
        expect(await s.conversations.deleteAllOf(A)).toBe(0);
        expect((await s.personalData.eraseAllOf(A)).consentState).toBe(true);

        expect(await Promise.all(NEIGHBOURS.map(snapshot))).toEqual(before);
      });
    });

    describe('P1 a profile is unknown until set, then exactly as set', () => {
      it('returns null for nobody', async () => {
        expect(await s.profiles.get(A)).toBeNull();
        expect(await s.profiles.describe(A)).toBeNull();
      });

      it('returns fields, updatedAt and expiresAt; describe lists fields without decrypting', async () => {
        await consented(A);
        const at = after(T0, 5 * SECOND);
        await s.profiles.set(A, 'preferredName', 'Ada', at, E);
        expect(await s.profiles.get(A)).toStrictEqual({
          fields: { preferredName: 'Ada' },
          updatedAt: at,
          expiresAt: E,
        });
        const opens = w.sealer.opens.length;
        expect(await s.profiles.describe(A)).toStrictEqual({
          fields: ['preferredName'],
          updatedAt: at,
          expiresAt: E,
        });
        expect(w.sealer.opens).toHaveLength(opens);
        await w.encryption.dataKeys.shred(A);
        expect(await s.profiles.describe(A)).toStrictEqual({
          fields: ['preferredName'],
          updatedAt: at,
          expiresAt: E,
        });
        await expect(s.profiles.get(A)).rejects.toMatchObject({ code: 'KEY_SHREDDED' });
      });
    });

    describe('P2 a second set replaces the value; on a restricted person the clock stays paused', () => {
      it('replaces the value and moves updatedAt and expiresAt', async () => {
        await consented(A);
        await s.profiles.set(A, 'preferredName', 'Ada', T0, E);
        const later = after(T0, DAY);
        const laterExpiry = after(E, DAY);
        await s.profiles.set(A, 'preferredName', 'Grace', later, laterExpiry);
        expect(await s.profiles.get(A)).toStrictEqual({
          fields: { preferredName: 'Grace' },
          updatedAt: later,
          expiresAt: laterExpiry,
        });
      });

      it('keeps a restricted person paused and resumes with the time that was left', async () => {
        await consented(A);
        await s.profiles.set(A, 'preferredName', 'Ada', T0, E);
        const t1 = after(T0, 10 * DAY); // 20 days left
        await s.history.pause(A, t1);
        await s.profiles.pause(A, t1);
        await s.subjects.setRestricted(A, true, t1);

        const t3 = after(T0, 12 * DAY);
        await w.at(t3, () => s.profiles.set(A, 'preferredName', 'Grace', t3, after(t3, 20 * DAY)));
        expect(await s.profiles.get(A)).toStrictEqual({
          fields: { preferredName: 'Grace' },
          updatedAt: t3,
          expiresAt: null,
        });
        await w.sweep(after(t3, 100 * DAY));
        expect(await w.at(after(t3, 100 * DAY), () => s.profiles.get(A))).toMatchObject({ expiresAt: null });

        const t4 = after(T0, 200 * DAY);
        await s.profiles.resume(A, t4);
        expect(await w.at(t4, () => s.profiles.get(A))).toMatchObject({ expiresAt: after(t4, 20 * DAY) });
      });
    });

    describe('P3 pausing and resuming the profile clock', () => {
      const t = after(T0, 10 * DAY);
      const t2 = after(T0, 50 * DAY);

      it('nulls the expiry on pause and gives back the time that was left on resume', async () => {
        await consented(A);
        await s.profiles.set(A, 'preferredName', 'Ada', T0, E);
        await s.profiles.pause(A, t);
        expect(await w.at(t, () => s.profiles.get(A))).toMatchObject({ expiresAt: null });
        expect(await w.at(t, () => s.profiles.describe(A))).toMatchObject({ expiresAt: null });
        await s.profiles.pause(A, after(t, 5 * DAY));
        await s.profiles.resume(A, t2);
        expect(await w.at(t2, () => s.profiles.get(A))).toMatchObject({ expiresAt: after(t2, 20 * DAY) });
        await s.profiles.resume(A, after(t2, DAY));
        expect(await w.at(t2, () => s.profiles.get(A))).toMatchObject({ expiresAt: after(t2, 20 * DAY) });
      });

      it('changes nothing on resume without a pause', async () => {
        await consented(A);
        await s.profiles.set(A, 'preferredName', 'Ada', T0, E);
        await s.profiles.resume(A, t);
        expect(await s.profiles.get(A)).toMatchObject({ expiresAt: E });
      });
    });

    describe('P4 profile values are sealed per subject and field; a failed seal keeps the old value', () => {
      it('seals (subject, "profiles", "subject/field", value)', async () => {
        await consented(A);
        await s.profiles.set(A, 'preferredName', 'Ada', T0, E);
        expect(
          w.sealer.seals.map((call) => [call.subjectId, call.collection, call.documentId, call.plaintext]),
        ).toEqual([[A, 'profiles', `${A}/preferredName`, 'Ada']]);
      });

      it('keeps the old value, time and expiry when sealing the new one fails', async () => {
        await consented(A);
        await s.profiles.set(A, 'preferredName', 'Ada', T0, E);
        w.sealer.failSeal(1);
        expect(
          await outcome(s.profiles.set(A, 'preferredName', 'Grace', after(T0, DAY), after(E, DAY))),
        ).not.toBe('resolved');
        expect(await s.profiles.get(A)).toStrictEqual({
          fields: { preferredName: 'Ada' },
          updatedAt: T0,
          expiresAt: E,
        });
      });
    });

    describe('P5 deleting and expiring a profile', () => {
      it('reports true, then false', async () => {
        await consented(A);
        await s.profiles.set(A, 'preferredName', 'Ada', T0, E);
        expect(await s.profiles.deleteAllOf(A)).toBe(true);
        expect(await s.profiles.deleteAllOf(A)).toBe(false);
        expect(await s.profiles.get(A)).toBeNull();
        expect(await s.profiles.describe(A)).toBeNull();
      });

      it('is removed by a sweep past its expiry, not before', async () => {
        await consented(A);
        await s.profiles.set(A, 'preferredName', 'Ada', T0, E);
        await w.sweep(after(E, -SECOND));
        expect(await s.profiles.get(A)).not.toBeNull();
        await w.sweep(after(E, SECOND));
        expect(await s.profiles.get(A)).toBeNull();
        expect(await s.profiles.describe(A)).toBeNull();
      });
    });

    describe('R1 opening a rights request', () => {
      it('returns a new open request with a fresh id, listed at once', async () => {
        const input = requestInput(A, 'export', T0);
        const opened = await s.rightsRequests.open(input, E);
        expect(opened).toStrictEqual({ ...input, id: opened.id, status: 'open' });
        expect(typeof opened.id).toBe('string');
        expect(await s.rightsRequests.list({ subjectId: A })).toStrictEqual([opened]);
      });

      it('gives concurrent opens distinct ids', async () => {
        const opened = await Promise.all(
          Array.from({ length: 20 }, (_, index) =>
            s.rightsRequests.open(requestInput(A, 'export', after(T0, index * SECOND)), E),
          ),
        );
        expect(new Set(opened.map((request) => request.id)).size).toBe(20);
        expect(await s.rightsRequests.list({ subjectId: A })).toHaveLength(20);
      });
    });

    describe('R2 finishing a rights request', () => {
      it('records completion with its time, and failure without one', async () => {
        const done = await s.rightsRequests.open(requestInput(A, 'export', T0), E);
        const broken = await s.rightsRequests.open(requestInput(A, 'erasure', after(T0, SECOND)), E);
        const at = after(T0, DAY);
        await s.rightsRequests.finish(done.id, 'completed', 'exported 3 history entries', at);
        await s.rightsRequests.finish(broken.id, 'failed', 'ERASURE_INCOMPLETE@history', at);
        expect(await s.rightsRequests.list({ subjectId: A })).toStrictEqual([
          { ...done, status: 'completed', outcome: 'exported 3 history entries', completedAt: at },
          { ...broken, status: 'failed', outcome: 'ERASURE_INCOMPLETE@history' },
        ]);
      });

      it('resolves for an unknown id and creates nothing', async () => {
        await expect(s.rightsRequests.finish('rr_unknown', 'completed', 'x', T0)).resolves.toBeUndefined();
        expect(await s.rightsRequests.list({})).toEqual([]);
      });

      it('never finishes a request twice', async () => {
        const done = await s.rightsRequests.open(requestInput(A, 'export', T0), E);
        const broken = await s.rightsRequests.open(requestInput(A, 'export', after(T0, SECOND)), E);
        await s.rightsRequests.finish(done.id, 'completed', 'first', after(T0, DAY));
        await s.rightsRequests.finish(broken.id, 'failed', 'KMS_UNAVAILABLE', after(T0, DAY));
        await s.rightsRequests.finish(done.id, 'failed', 'second', after(T0, 2 * DAY));
        await s.rightsRequests.finish(broken.id, 'completed', 'second', after(T0, 2 * DAY));
        expect(await s.rightsRequests.list({ subjectId: A })).toStrictEqual([
          { ...done, status: 'completed', outcome: 'first', completedAt: after(T0, DAY) },
          { ...broken, status: 'failed', outcome: 'KMS_UNAVAILABLE' },
        ]);
      });

      it('refuses an outcome longer than 200 characters and leaves the request open (B12)', async () => {
        const request = await s.rightsRequests.open(requestInput(A, 'export', T0), E);
        expect(await outcome(s.rightsRequests.finish(request.id, 'failed', 'x'.repeat(201), T0))).not.toBe(
          'resolved',
        );
        expect(await s.rightsRequests.list({ subjectId: A })).toStrictEqual([request]);
      });
    });

    describe('R3 finishing with supersede closes exactly the open requests of that subject and type', () => {
      it('leaves failed, completed, other types, other subjects and the answering request alone', async () => {
        const open = (subjectId: string, type: RightsRequestType, offset: number) =>
          s.rightsRequests.open(requestInput(subjectId, type, after(T0, offset * SECOND)), E);
        const stale = await open(A, 'export', 1);
        const failed = await open(A, 'export', 2);
        const completed = await open(A, 'export', 3);
        const otherType = await open(A, 'access', 4);
        const otherSubject = await open(B, 'export', 5);
        const neighbour = await open('subject-a2', 'export', 6);
        const answering = await open(A, 'export', 7);
        await s.rightsRequests.finish(failed.id, 'failed', 'KMS_UNAVAILABLE', after(T0, DAY));
        await s.rightsRequests.finish(completed.id, 'completed', 'exported 1', after(T0, DAY));
        const before = await s.rightsRequests.list({});

        await s.rightsRequests.finish(answering.id, 'completed', 'exported 2', after(T0, 2 * DAY), {
          supersede: true,
        });
        const afterwards = await s.rightsRequests.list({});
        const changed = afterwards.filter(
          (request) =>
            JSON.stringify(request) !== JSON.stringify(before.find((old) => old.id === request.id)),
        );
        expect(changed.map((request) => request.id).sort()).toEqual([stale.id, answering.id].sort());
        expect(changed.find((request) => request.id === stale.id)).toMatchObject({
          status: 'completed',
          outcome: `answered by ${answering.id}`,
        });
        const byId = new Map(afterwards.map((request) => [request.id, request]));
        expect(byId.get(failed.id)).toMatchObject({ status: 'failed', outcome: 'KMS_UNAVAILABLE' });
        expect(byId.get(failed.id)).not.toHaveProperty('completedAt');
        for (const untouched of [otherType, otherSubject, neighbour])
          expect(byId.get(untouched.id)?.status).toBe('open');

        // Finishing it again changes nothing, and supersedes nothing more.
        await open(A, 'export', 8);
        const withLater = await s.rightsRequests.list({});
        await s.rightsRequests.finish(answering.id, 'completed', 'again', after(T0, 3 * DAY), {
          supersede: true,
        });
        expect(await s.rightsRequests.list({})).toEqual(withLater);
      });
    });

    describe('R4 listing rights requests: overdue worklist and first n', () => {
      it('lists unfinished requests due before t, for everyone, oldest first, bounded by limit', async () => {
        const t = after(T0, 40 * DAY);
        // Opened out of order, so the order must come from receivedAt.
        const spec: [string, string, number, Date, 'open' | 'completed' | 'failed'][] = [
          ['late-open', B, 5, after(T0, 20 * DAY), 'open'],
          ['first-open', A, 1, after(T0, 30 * DAY), 'open'],
          ['not-yet-due', A, 2, after(T0, 45 * DAY), 'open'],
          ['completed', B, 3, after(T0, 30 * DAY), 'completed'],
          ['failed', 'subject-c', 4, after(T0, 30 * DAY), 'failed'],
          ['due-a-second-after', B, 6, after(t, SECOND), 'open'],
        ];
        const ids = new Map<string, string>();
        for (const [label, subjectId, received, dueAt, status] of spec) {
          const input = requestInput(subjectId, 'erasure', after(T0, received * SECOND), dueAt);
          const request = await s.rightsRequests.open(input, EVIDENCE);
          if (status !== 'open') await s.rightsRequests.finish(request.id, status, 'x', after(T0, DAY));
          ids.set(label, request.id);
        }
        const labels = (requests: RightsRequest[]) =>
          requests.map((request) => [...ids].find(([, id]) => id === request.id)?.[0]);

        expect(labels(await s.rightsRequests.list({ overdueAt: t }))).toEqual([
          'first-open',
          'failed',
          'late-open',
        ]);
        expect(labels(await s.rightsRequests.list({ overdueAt: t, limit: 2 }))).toEqual([
          'first-open',
          'failed',
        ]);
        expect(labels(await s.rightsRequests.list({ limit: 3 }))).toEqual([
          'first-open',
          'not-yet-due',
          'completed',
        ]);
        expect(labels(await s.rightsRequests.list({}))).toEqual([
          'first-open',
          'not-yet-due',
          'completed',
          'failed',
          'late-open',
          'due-a-second-after',
        ]);
        expect(labels(await s.rightsRequests.list({ subjectId: B }))).toEqual([
          'completed',
          'late-open',
          'due-a-second-after',
        ]);
      });
    });

    describe('R5 countCompleted counts completions since a time, for that subject and type', () => {
      it('counts completedAt >= since only', async () => {
        const complete = async (
          subjectId: string,
          type: RightsRequestType,
          at: Date,
          status: 'completed' | 'failed' = 'completed',
        ) => {
          const request = await s.rightsRequests.open(requestInput(subjectId, type, T0), EVIDENCE);
          await s.rightsRequests.finish(request.id, status, 'x', at);
        };
        const t1 = after(T0, DAY);
        const t2 = after(T0, 2 * DAY);
        const t3 = after(T0, 3 * DAY);
        await complete(A, 'export', t1);
        await complete(A, 'export', t2);
        await complete(A, 'export', t3);
        await complete(A, 'export', t3, 'failed');
        await complete(A, 'access', t3);
        await complete(B, 'export', t3);
        await complete('subject-a2', 'export', t3);
        await s.rightsRequests.open(requestInput(A, 'export', t3), EVIDENCE); // still open

        expect(await s.rightsRequests.countCompleted(A, 'export', T0)).toBe(3);
        expect(await s.rightsRequests.countCompleted(A, 'export', t2)).toBe(2);
        expect(await s.rightsRequests.countCompleted(A, 'export', after(t2, 1))).toBe(1);
        expect(await s.rightsRequests.countCompleted(A, 'export', after(t3, 1))).toBe(0);
        expect(await s.rightsRequests.countCompleted(A, 'access', T0)).toBe(1);
        expect(await s.rightsRequests.countCompleted(B, 'export', T0)).toBe(1);
        expect(await s.rightsRequests.countCompleted(A, 'erasure', T0)).toBe(0);
      });
    });

    describe('R6 rights requests outlive erasure and expire with their evidence period', () => {
      it('keeps requests through an erasure', async () => {
        await consented(A);
        const request = await s.rightsRequests.open(requestInput(A, 'erasure', T0), E);
        await eraseSubject(s, w.encryption.dataKeys, A);
        expect((await s.rightsRequests.list({ subjectId: A })).map((kept) => kept.id)).toEqual([request.id]);
      });

      it('hides and removes a request after its expiry, not before', async () => {
        const request = await s.rightsRequests.open(requestInput(A, 'export', T0), E);
        await s.rightsRequests.finish(request.id, 'completed', 'done', after(T0, SECOND));
        const listed = async (time: Date) =>
          (await w.at(time, () => s.rightsRequests.list({ subjectId: A }))).length;
        expect(await listed(after(E, -SECOND))).toBe(1);
        expect(await listed(after(E, SECOND))).toBe(0);
        expect(await w.at(after(E, SECOND), () => s.rightsRequests.countCompleted(A, 'export', T0))).toBe(0);
        await w.sweep(after(E, -SECOND));
        expect(await listed(T0)).toBe(1);
        await w.sweep(after(E, SECOND));
        expect(await listed(T0)).toBe(0);
      });
    });

    describe('R7 extending a request moves its due date later, only while it is not completed', () => {
      it('moves an open or failed request, never earlier, never a completed or unknown one', async () => {
        const open = await s.rightsRequests.open(requestInput(A, 'erasure', T0), E);
        const failed = await s.rightsRequests.open(requestInput(A, 'export', after(T0, SECOND)), E);
        const done = await s.rightsRequests.open(requestInput(B, 'export', T0), E);
        await s.rightsRequests.finish(failed.id, 'failed', 'KMS_UNAVAILABLE', after(T0, SECOND));
        await s.rightsRequests.finish(done.id, 'completed', 'exported', after(T0, SECOND));
        const later = after(open.dueAt, 60 * DAY);

        expect(await s.rightsRequests.extend(open.id, later)).toBe(true);
        expect(await s.rightsRequests.extend(failed.id, later)).toBe(true);
        expect(await s.rightsRequests.extend(done.id, later)).toBe(false);
        expect(await s.rightsRequests.extend('rr_unknown', later)).toBe(false);
        expect(await s.rightsRequests.extend(open.id, after(later, -DAY))).toBe(false);
        expect(await s.rightsRequests.list({ subjectId: A })).toStrictEqual([
          { ...open, dueAt: later },
          { ...failed, dueAt: later, status: 'failed', outcome: 'KMS_UNAVAILABLE' },
        ]);
        expect((await s.rightsRequests.list({ subjectId: B }))[0]?.dueAt).toStrictEqual(done.dueAt);
        // No longer overdue where it was before, overdue after the new date.
        expect(await s.rightsRequests.list({ overdueAt: after(later, -SECOND) })).toEqual([]);
        expect((await s.rightsRequests.list({ overdueAt: after(later, SECOND) })).map((r) => r.id)).toEqual([
          open.id,
          failed.id,
        ]);
      });
    });

    describe('K1 the data key store contract', () => {
      describeDataKeyStoreContract(name, () => Promise.resolve(w.dataKeys));
    });

    describe('K2 a retention pass never removes data keys', () => {
      it('keeps every key through a sweep far in the future', async () => {
        await consented(A, B);
        await s.history.append([line(A, 'a', T0), line(B, 'b', T0)], E);
        expect(await w.dataKeys.count()).toBe(2);
        await w.sweep(after(EVIDENCE, 3650 * DAY));
        expect(await w.dataKeys.count()).toBe(2);
        expect(await w.dataKeys.find(A)).toBeDefined();
      });
    });

    describe('K4 one data key per subject, whoever inserts first', () => {
      it('returns the one stored record to every concurrent insert', async () => {
        const attempts = Array.from({ length: 10 }, (_, index) =>
          sampleRecord(A, { providerKeyId: `local:${index}`, createdAt: after(T0, index) }),
        );
        const results = await Promise.all(attempts.map((record) => w.dataKeys.insert(record)));
        const stored = await w.dataKeys.find(A);
        expect(stored).toBeDefined();
        for (const result of results) expect(comparable(result)).toEqual(comparable(stored));
        expect(attempts.some((attempt) => stored?.wrapped.equals(attempt.wrapped))).toBe(true);
        expect(await w.dataKeys.count()).toBe(1);
      });
    });

    describe('E1 erasure removes everything of A but the two ledgers, and nothing of B', () => {
      async function fill(subjectId: string): Promise<void> {
        await s.subjects.saveDecision(decision(subjectId, { locale: 'de' }), EVIDENCE);
        await s.consentLedger.append(
          [ledgerEntry(subjectId), ledgerEntry(subjectId, { purpose: 'analytics' })],
          EVIDENCE,
        );
        await s.conversations.save(subjectId, 'c1', dialogState('call-me'), E);
        await s.conversations.save(subjectId, 'c2', dialogState('delete'), E);
        await s.history.append(
          [
            line(subjectId, `${subjectId} said hi`, T0),
            line(subjectId, `${subjectId} noted`, after(T0, SECOND), { tag: 'note' }),
          ],
          E,
        );
        await s.profiles.set(subjectId, 'preferredName', `${subjectId} name`, T0, E);
        const request = await s.rightsRequests.open(requestInput(subjectId, 'erasure', T0), EVIDENCE);
        await s.rightsRequests.finish(request.id, 'completed', 'done', after(T0, SECOND));
      }

      const reads = async (subjectId: string) => ({
        subject: await s.subjects.get(subjectId),
        ledger: await s.consentLedger.list(subjectId),
        states: [await s.conversations.load(subjectId, 'c1'), await s.conversations.load(subjectId, 'c2')],
        recent: await s.history.recent(subjectId, { limit: 10 }),
        notes: await s.history.recent(subjectId, { limit: 10, tag: 'note' }),
        iterated: await collect(s.history.iterate(subjectId)),
        summary: await s.history.summary(subjectId),
        profile: await s.profiles.get(subjectId),
        described: await s.profiles.describe(subjectId),
        requests: await s.rightsRequests.list({ subjectId }),
        key: await w.dataKeys.find(subjectId),
      });

      it('leaves A only the ledgers, B untouched, and no other row naming A', async () => {
        await fill(A);
        await fill(B);
        await fill('subject-a2');
        const ledgerBefore = await s.consentLedger.list(A);
        const requestsBefore = await s.rightsRequests.list({ subjectId: A });
        const others = [await reads(B), await reads('subject-a2')];

        const report = await eraseSubject(s, w.encryption.dataKeys, A);
        expect(report).toEqual({
          keyShredded: true,
          history: 2,
          profile: true,
          conversations: 2,
          consentState: true,
        });

        expect(await reads(A)).toStrictEqual({
          subject: null,
          ledger: ledgerBefore,
          states: [null, null],
          recent: [],
          notes: [],
          iterated: [],
          summary: { count: 0, paused: 0 },
          profile: null,
          described: null,
          requests: requestsBefore,
          key: undefined,
        });
        expect([await reads(B), await reads('subject-a2')]).toEqual(others);

        const naming = rowsNaming(await w.harness.dump(), A);
        expect(naming.length).toBeGreaterThan(0);
        expect([...new Set(naming)].sort()).toEqual(['consent_ledger', 'rights_requests']);
      });
    });

    describe('E2 a second erasure finds nothing left', () => {
      it('reports nothing removed', async () => {
        await consented(A);
        await s.history.append([line(A, 'hi', T0)], E);
        await s.profiles.set(A, 'preferredName', 'Ada', T0, E);
        await s.conversations.save(A, 'c', dialogState('x'), E);
        await eraseSubject(s, w.encryption.dataKeys, A);
        expect(await eraseSubject(s, w.encryption.dataKeys, A)).toEqual({
          keyShredded: false,
          history: 0,
          profile: false,
          conversations: 0,
          consentState: false,
        });
      });
    });

    describe('X1 concurrent decisions for one person: the later decidedAt wins, and the ledger agrees', () => {
      const earlier = after(T0, SECOND);
      const later = after(T0, 2 * SECOND);
      const grantAll = ALL_PURPOSES;
      const stopAll = NO_PURPOSES;

      async function decide(subjectId: string, at: Date, purposes: PurposeChoices): Promise<void> {
        const entries = PURPOSES.map((purpose) =>
          ledgerEntry(subjectId, { purpose, decision: purposes[purpose] ? 'granted' : 'withdrawn', at }),
        );
        await s.consentLedger.append(entries, after(at, 730 * DAY));
        await s.subjects.saveDecision(decision(subjectId, { decidedAt: at, purposes }), after(at, 730 * DAY));
      }

      async function expectConsistent(subjectId: string): Promise<void> {
        const stored = await s.subjects.get(subjectId);
        expect(stored?.decidedAt).toEqual(later);
        expect(stored?.purposes).toEqual(stopAll);
        const newest = new Map<Purpose, ConsentLedgerEntry>();
        for (const entry of await s.consentLedger.list(subjectId)) newest.set(entry.purpose, entry);
        for (const purpose of PURPOSES) {
          expect([purpose, newest.get(purpose)?.decision === 'granted']).toEqual([
            purpose,
            stored?.purposes[purpose],
          ]);
        }
      }

      it('keeps the later decision when the earlier one is saved last', async () => {
        await decide(A, later, stopAll);
        await decide(A, earlier, grantAll);
        await expectConsistent(A);
      });

      it('keeps the later decision whichever of two concurrent ones completes first', async () => {
        await Promise.all([decide(A, earlier, grantAll), decide(A, later, stopAll)]);
        await Promise.all([decide(B, later, stopAll), decide(B, earlier, grantAll)]);
        await expectConsistent(A);
        await expectConsistent(B);
      });

      it('keeps the later decision when saveDecision alone is called in either order', async () => {
        await s.subjects.saveDecision(decision(A, { decidedAt: later, policyVersion: 'new' }), EVIDENCE);
        await s.subjects.saveDecision(decision(A, { decidedAt: earlier, policyVersion: 'old' }), EVIDENCE);
        expect(await s.subjects.get(A)).toMatchObject({ decidedAt: later, policyVersion: 'new' });
      });
    });

    describe('X2 a restriction racing a decision ends restricted and paused', () => {
      it.each([
        ['restriction first', true],
        ['decision first', false],
      ])('%s', async (_label, restrictFirst) => {
        await s.subjects.saveDecision(decision(A), E);
        const t1 = after(T0, 10 * DAY);
        const restrict = () => s.subjects.setRestricted(A, true, t1);
        const laterExpiry = after(t1, 30 * DAY);
        const decide = () =>
          s.subjects.saveDecision(decision(A, { decidedAt: t1, purposes: NO_PURPOSES }), laterExpiry);
        await w.at(t1, () => Promise.all(restrictFirst ? [restrict(), decide()] : [decide(), restrict()]));

        expect(await s.subjects.get(A)).toMatchObject({ restricted: true, purposes: NO_PURPOSES });
        await w.sweep(after(laterExpiry, DAY));
        expect(await w.at(after(laterExpiry, DAY), () => s.subjects.get(A))).toMatchObject({
          restricted: true,
        });
      });
    });

    describe('X3 a write in flight during restriction or erasure leaves no running clock and nothing readable', () => {
      async function restrict(subjectId: string, at: Date): Promise<void> {
        await s.history.pause(subjectId, at);
        await s.profiles.pause(subjectId, at);
        await s.subjects.setRestricted(subjectId, true, at);
      }

      it('stores history and profile fields of a restricted subject with the clock paused', async () => {
        await consented(A);
        await restrict(A, after(T0, DAY));
        await s.history.append([line(A, 'after the restriction', after(T0, 2 * DAY))], E);
        await s.profiles.set(A, 'preferredName', 'Ada', after(T0, 2 * DAY), E);
        expect(await s.history.recent(A, { limit: 5 })).toMatchObject([{ expiresAt: null }]);
        expect(await s.profiles.get(A)).toMatchObject({ expiresAt: null });
        await w.sweep(after(E, 100 * DAY));
        expect(await w.at(after(E, 100 * DAY), () => s.history.summary(A))).toMatchObject({
          count: 1,
          paused: 1,
        });
        expect(await w.at(after(E, 100 * DAY), () => s.profiles.get(A))).toMatchObject({ expiresAt: null });
      });

      it('pauses a history append that was sealing while the restriction landed', async () => {
        await consented(A);
        await s.history.append([line(A, 'before', T0)], E);
        const gate = w.sealer.holdNextSeal();
        const appending = s.history.append([line(A, 'in flight', after(T0, SECOND))], E);
        await gate.reached;
        await restrict(A, after(T0, DAY));
        gate.release();
        await appending;
        expect(
          (await s.history.recent(A, { limit: 5 })).map((entry) => [entry.text, entry.expiresAt]),
        ).toEqual([
          ['in flight', null],
          ['before', null],
        ]);
      });

      it('pauses a profile write that was sealing while the restriction landed', async () => {
        await consented(A);
        await s.profiles.set(A, 'preferredName', 'Ada', T0, E);
        const gate = w.sealer.holdNextSeal();
        const setting = s.profiles.set(A, 'preferredName', 'Grace', after(T0, SECOND), E);
        await gate.reached;
        await restrict(A, after(T0, DAY));
        gate.release();
        await setting;
        expect(await s.profiles.get(A)).toMatchObject({
          fields: { preferredName: 'Grace' },
          expiresAt: null,
        });
      });

      it('leaves no readable history from an append that was sealing during an erasure', async () => {
        await consented(A);
        await s.history.append([line(A, 'before', T0)], E);
        const gate = w.sealer.holdNextSeal();
        const appending = settle(s.history.append([line(A, 'in flight', after(T0, SECOND))], E));
        await gate.reached;
        await eraseSubject(s, w.encryption.dataKeys, A);
        gate.release();
        await appending;
        // Either nothing of A is left, or what is left cannot be decrypted.
        const read = await outcome(s.history.recent(A, { limit: 5 }));
        if (read === 'resolved')
          expect((await s.history.recent(A, { limit: 5 })).map((entry) => entry.text)).toEqual([]);
        else expect(read).toBe('KEY_SHREDDED');
      });
    });

    describe('X4 expired data is never returned by any read, before or after a sweep', () => {
      async function fillExpiringAt(subjectId: string, expiresAt: Date): Promise<void> {
        await s.subjects.saveDecision(decision(subjectId), expiresAt);
        await s.consentLedger.append([ledgerEntry(subjectId)], expiresAt);
        await s.conversations.save(subjectId, 'c', dialogState('x'), expiresAt);
        await s.history.append([line(subjectId, 'hi', T0, { tag: 'note' })], expiresAt);
        await s.profiles.set(subjectId, 'preferredName', 'Ada', T0, expiresAt);
        const request = await s.rightsRequests.open(
          requestInput(subjectId, 'export', T0, after(T0, DAY)),
          expiresAt,
        );
        await s.rightsRequests.finish(request.id, 'completed', 'done', after(T0, SECOND));
        await s.rightsRequests.open(
          requestInput(subjectId, 'erasure', after(T0, SECOND), after(T0, DAY)),
          expiresAt,
        );
      }

      const everyRead = async (subjectId: string) => ({
        subject: (await s.subjects.get(subjectId)) !== null,
        ledger: (await s.consentLedger.list(subjectId)).length,
        state: (await s.conversations.load(subjectId, 'c')) !== null,
        recent: (await s.history.recent(subjectId, { limit: 5 })).length,
        tagged: (await s.history.recent(subjectId, { limit: 5, tag: 'note' })).length,
        iterated: (await collect(s.history.iterate(subjectId))).length,
        summary: (await s.history.summary(subjectId)).count,
        profile: (await s.profiles.get(subjectId)) !== null,
        described: (await s.profiles.describe(subjectId)) !== null,
        requests: (await s.rightsRequests.list({ subjectId })).length,
        everyone: (await s.rightsRequests.list({})).filter((request) => request.subjectId === subjectId)
          .length,
        overdue: (await s.rightsRequests.list({ overdueAt: after(T0, 2 * DAY) })).filter(
          (request) => request.subjectId === subjectId,
        ).length,
        completed: await s.rightsRequests.countCompleted(subjectId, 'export', T0),
      });
      const present = {
        subject: true,
        ledger: 1,
        state: true,
        recent: 1,
        tagged: 1,
        iterated: 1,
        summary: 1,
        profile: true,
        described: true,
        requests: 2,
        everyone: 2,
        overdue: 1,
        completed: 1,
      };
      const gone = {
        subject: false,
        ledger: 0,
        state: false,
        recent: 0,
        tagged: 0,
        iterated: 0,
        summary: 0,
        profile: false,
        described: false,
        requests: 0,
        everyone: 0,
        overdue: 0,
        completed: 0,
      };

      it('hides everything at its expiry, before the sweep, and the sweep removes it', async () => {
        await fillExpiringAt(A, E);
        await fillExpiringAt(B, after(E, 10 * DAY));
        expect(await w.at(after(E, -SECOND), () => everyRead(A))).toEqual(present);
        expect(await w.at(after(E, SECOND), () => everyRead(A))).toEqual(gone);
        expect(await w.at(after(E, SECOND), () => everyRead(B))).toEqual(present);
        await w.sweep(after(E, SECOND));
        expect(await w.at(T0, () => everyRead(A))).toEqual(gone);
        expect(await w.at(T0, () => everyRead(B))).toEqual(present);
      });

      it('does not bring back expired history or profiles with a pause', async () => {
        await consented(A);
        const early = after(T0, 5 * DAY);
        await s.history.append([line(A, 'expired', T0)], early);
        await s.history.append([line(A, 'running', after(T0, SECOND))], E);
        await s.profiles.set(A, 'preferredName', 'Ada', T0, early);
        const t = after(T0, 10 * DAY);
        await w.at(t, async () => {
          await s.history.pause(A, t);
          await s.profiles.pause(A, t);
        });
        expect((await w.at(t, () => s.history.recent(A, { limit: 5 }))).map((entry) => entry.text)).toEqual([
          'running',
        ]);
        expect(await w.at(t, () => s.history.summary(A))).toMatchObject({ count: 1, paused: 1 });
        expect(await w.at(t, () => s.profiles.get(A))).toBeNull();
        expect(await w.at(t, () => s.profiles.describe(A))).toBeNull();
      });
    });

    // Breach register (GDPR Art. 33(5), 34): N1-N5. Decommissioning (purge-all): D1-D3.

    /** A breach as the operator records it; `recordedAt` T0 + 1 day unless given. */
    function breachInput(overrides: Partial<Omit<BreachRecord, 'id'>> = {}): Omit<BreachRecord, 'id'> {
      return {
        what: 'unauthorized-access',
        occurredAt: T0,
        recordedAt: after(T0, DAY),
        affectsAll: false,
        expiresAt: E,
        ...overrides,
      };
    }

    describe('N1 a breach is recorded as given and listed with its counts; an invalid one stores nothing', () => {
      it('returns a distinct id and the breach as given, to the millisecond', async () => {
        const input = breachInput({
          occurredAt: new Date('2040-01-01T10:11:12.345Z'),
          recordedAt: new Date('2040-01-02T03:04:05.678Z'),
          expiresAt: new Date('2040-02-01T00:00:00.001Z'),
        });
        const first = await s.breaches.record(input, [A, B]);
        const second = await s.breaches.record(
          { ...input, recordedAt: after(input.recordedAt, SECOND), affectsAll: true },
          [],
        );
        expect(first).toStrictEqual({ ...input, id: first.id });
        expect(typeof first.id).toBe('string');
        expect(second.id).not.toBe(first.id);
        const listed = await s.breaches.list();
        expect(listed).toStrictEqual([
          { ...first, listed: 2, notified: 0 },
          { ...second, listed: 0, notified: 0 },
        ]);
        for (const breach of listed)
          for (const date of [breach.occurredAt, breach.recordedAt, breach.expiresAt])
            expect(date).toBeInstanceOf(Date);
      });

      it('takes a what of 200 characters, counted as characters (an emoji is one)', async () => {
        const what = '🔥'.repeat(200);
        const breach = await s.breaches.record(breachInput({ what }), [A]);
        expect((await s.breaches.pendingFor(A)).map((pending) => pending.what)).toEqual([what]);
        expect(breach.what).toBe(what);
      });

      it('lists live breaches oldest recorded first', async () => {
        const later = await s.breaches.record(breachInput({ recordedAt: after(T0, 2 * DAY) }), [A]);
        const earlier = await s.breaches.record(breachInput({ recordedAt: after(T0, DAY) }), [A]);
        expect((await s.breaches.list()).map((breach) => breach.id)).toEqual([earlier.id, later.id]);
      });

      it.each([
        ['everyone and a list', { affectsAll: true }, [A]],
        ['neither everyone nor a list', {}, []],
        ['a subject listed twice', {}, [A, B, A]],
        ['an empty subject id', {}, [A, '']],
        ['an empty what', { what: '' }, [A]],
        ['a what over 200 characters', { what: 'x'.repeat(201) }, [A]],
        ['recorded before it occurred', { occurredAt: after(T0, 2 * DAY) }, [A]],
      ] as const)(
        'refuses %s with STORAGE_REJECTED and stores nothing',
        async (_case, overrides, affected) => {
          expect(await outcome(s.breaches.record(breachInput(overrides), affected))).toBe('STORAGE_REJECTED');
          expect(await s.breaches.list()).toEqual([]);
          expect(await s.breaches.pendingFor(A)).toEqual([]);
          const dump = await w.harness.dump();
          expect(dump.rows.filter((row) => row.table.startsWith('breach'))).toEqual([]);
        },
      );
    });

    describe('N2 pendingFor: the breaches listing the subject and those affecting everyone, oldest first', () => {
      it('returns exactly those, whatever neighbouring ids are listed', async () => {
        const forA = await s.breaches.record(breachInput({ occurredAt: after(T0, 2 * SECOND) }), [A]);
        const forB = await s.breaches.record(breachInput({ occurredAt: T0 }), [B, ...NEIGHBOURS]);
        const forAll = await s.breaches.record(
          breachInput({ occurredAt: after(T0, SECOND), affectsAll: true }),
          [],
        );
        expect(await s.breaches.pendingFor(A)).toStrictEqual([forAll, forA]);
        expect(await s.breaches.pendingFor(B)).toStrictEqual([forB, forAll]);
        expect(await s.breaches.pendingFor('subject-c')).toStrictEqual([forAll]);
        for (const neighbour of NEIGHBOURS)
          expect((await s.breaches.pendingFor(neighbour)).map((breach) => breach.id)).toEqual([
            forB.id,
            forAll.id,
          ]);
      });
    });

    describe('N3 markNotified is true once per breach and subject, then the notice is no longer pending', () => {
      it('claims a listed notice once; another subject gets false and nothing is stored for them', async () => {
        const breach = await s.breaches.record(breachInput(), [A, B]);
        expect(await s.breaches.markNotified(breach.id, 'subject-c', after(T0, 2 * DAY))).toBe(false);
        expect(rowsNaming(await w.harness.dump(), 'subject-c')).toEqual([]);
        expect(await s.breaches.markNotified(breach.id, A, after(T0, 2 * DAY))).toBe(true);
        expect(await s.breaches.markNotified(breach.id, A, after(T0, 3 * DAY))).toBe(false);
        expect(await s.breaches.pendingFor(A)).toEqual([]);
        expect(await s.breaches.pendingFor(B)).toStrictEqual([breach]);
        expect(await s.breaches.list()).toMatchObject([{ id: breach.id, listed: 2, notified: 1 }]);
      });

      it('claims a notice of a breach affecting everyone once, writing a row only then', async () => {
        const breach = await s.breaches.record(breachInput({ affectsAll: true }), []);
        expect(rowsNaming(await w.harness.dump(), A)).toEqual([]);
        expect(await s.breaches.markNotified(breach.id, A, after(T0, 2 * DAY))).toBe(true);
        expect(await s.breaches.markNotified(breach.id, A, after(T0, 2 * DAY))).toBe(false);
        expect(await s.breaches.pendingFor(A)).toEqual([]);
        expect(await s.breaches.pendingFor(B)).toStrictEqual([breach]);
        expect(await s.breaches.list()).toMatchObject([{ id: breach.id, listed: 0, notified: 1 }]);
      });

      it('gives exactly one of many concurrent claims true', async () => {
        const listed = await s.breaches.record(breachInput(), [A]);
        const everyone = await s.breaches.record(breachInput({ affectsAll: true }), []);
        for (const breach of [listed, everyone]) {
          const claims = await Promise.all(
            Array.from({ length: 8 }, () => s.breaches.markNotified(breach.id, A, after(T0, 2 * DAY))),
          );
          expect(claims.filter(Boolean)).toHaveLength(1);
        }
        expect(await s.breaches.pendingFor(A)).toEqual([]);
      });

      it('answers false for an unknown breach and stores nothing', async () => {
        expect(await s.breaches.markNotified('br_unknown', A, T0)).toBe(false);
        expect(rowsNaming(await w.harness.dump(), A)).toEqual([]);
      });
    });

    describe('N4 a breach and its notices expire together, unseen before any sweep', () => {
      it('is gone from every read once expired, and a sweep removes its rows', async () => {
        const listed = await s.breaches.record(breachInput(), [A]);
        const everyone = await s.breaches.record(breachInput({ affectsAll: true }), []);
        await s.breaches.markNotified(everyone.id, B, after(T0, 2 * DAY));
        const before = after(E, -SECOND);
        const past = after(E, SECOND);
        await w.sweep(before);
        expect(await w.at(before, () => s.breaches.pendingFor(A))).toHaveLength(2);
        expect(await w.at(before, () => s.breaches.list())).toHaveLength(2);

        expect(await w.at(past, () => s.breaches.pendingFor(A))).toEqual([]);
        expect(await w.at(past, () => s.breaches.list())).toEqual([]);
        expect(await s.breaches.markNotified(listed.id, A, past)).toBe(false);
        expect(await s.breaches.markNotified(everyone.id, A, past)).toBe(false);

        await w.sweep(past);
        const dump = await w.harness.dump();
        expect(dump.rows.filter((row) => row.table.startsWith('breach'))).toEqual([]);
      });
    });

    describe('N5 breach notices outlive erasure (evidence; a notice owed is still owed)', () => {
      it('keeps the pending and the shown notice of an erased subject', async () => {
        await consented(A);
        const pending = await s.breaches.record(breachInput(), [A]);
        const shown = await s.breaches.record(breachInput({ affectsAll: true }), []);
        await s.breaches.markNotified(shown.id, A, after(T0, 2 * DAY));
        await eraseSubject(s, w.encryption.dataKeys, A);
        expect(await s.breaches.pendingFor(A)).toStrictEqual([pending]);
        expect(await s.breaches.markNotified(shown.id, A, after(T0, 3 * DAY))).toBe(false);
        expect([...new Set(rowsNaming(await w.harness.dump(), A))]).toEqual(['breach_notices']);
      });
    });

    describe("N6 noticesFor: a person's breach notices, for their export", () => {
      it('lists the breaches naming them, owed or shown, and those for everyone they were shown, oldest first', async () => {
        const listed = await s.breaches.record(breachInput({ occurredAt: after(T0, 2 * SECOND) }), [A, B]);
        const shownToAll = await s.breaches.record(breachInput({ occurredAt: T0, affectsAll: true }), []);
        await s.breaches.record(breachInput({ occurredAt: after(T0, SECOND), affectsAll: true }), []);
        const forOthers = await s.breaches.record(breachInput(), [B, ...NEIGHBOURS]);
        expect(await s.breaches.noticesFor(A)).toStrictEqual([{ breach: listed, notifiedAt: null }]);

        const shownAt = new Date('2040-01-03T04:05:06.789Z');
        expect(await s.breaches.markNotified(shownToAll.id, A, shownAt)).toBe(true);
        expect(await s.breaches.markNotified(listed.id, A, after(shownAt, SECOND))).toBe(true);
        expect(await s.breaches.noticesFor(A)).toStrictEqual([
          { breach: shownToAll, notifiedAt: shownAt },
          { breach: listed, notifiedAt: after(shownAt, SECOND) },
        ]);
        expect(await s.breaches.noticesFor('subject-c')).toEqual([]);
        for (const neighbour of NEIGHBOURS)
          expect(await s.breaches.noticesFor(neighbour)).toStrictEqual([
            { breach: forOthers, notifiedAt: null },
          ]);
      });

      it('still lists them after an erasure, and nothing once the breach has expired', async () => {
        await consented(A);
        const breach = await s.breaches.record(breachInput(), [A]);
        await s.breaches.markNotified(breach.id, A, after(T0, 2 * DAY));
        await eraseSubject(s, w.encryption.dataKeys, A);
        const before = after(E, -SECOND);
        expect(await w.at(before, () => s.breaches.noticesFor(A))).toStrictEqual([
          { breach, notifiedAt: after(T0, 2 * DAY) },
        ]);
        expect(await w.at(after(E, SECOND), () => s.breaches.noticesFor(A))).toEqual([]);
      });

      it('rejects the call with STORAGE_UNAVAILABLE once the backend is closed', async () => {
        await w.harness.close();
        expect(await outcome(s.breaches.noticesFor(A))).toBe('STORAGE_UNAVAILABLE');
      });
    });

    describe('G1 for the breach register and the operator calls', () => {
      it('rejects every breach register method, the inventory and the purge', async () => {
        const breach = await s.breaches.record(breachInput(), [A]);
        await w.harness.close();
        const calls: Record<string, () => Promise<unknown>> = {
          'breaches.record': () => s.breaches.record(breachInput(), [B]),
          'breaches.pendingFor': () => s.breaches.pendingFor(A),
          'breaches.markNotified': () => s.breaches.markNotified(breach.id, A, T0),
          'breaches.list': () => s.breaches.list(),
          inventory: () => w.harness.inventory(),
          purgePersonalData: () => w.harness.purgePersonalData(),
        };
        expect(await outcomes(calls)).toEqual(allUnavailable(calls));
      });
    });

    describe('D1 purge-all erases every person and shreds every key; the ledgers and breaches stay', () => {
      /** Everything a person can have: state, history, profile, a key, and evidence of each kind. */
      async function fill(subjectId: string, restricted = false): Promise<void> {
        await s.subjects.saveDecision(decision(subjectId, { locale: 'de' }), EVIDENCE, [
          ledgerEntry(subjectId),
        ]);
        await s.conversations.save(subjectId, 'c1', dialogState('call-me'), E);
        await s.history.append(
          [
            line(subjectId, `${subjectId} said hi`, T0),
            line(subjectId, `${subjectId} noted`, T0, { tag: 'note' }),
          ],
          E,
        );
        await s.profiles.set(subjectId, 'preferredName', `${subjectId} name`, T0, E);
        const request = await s.rightsRequests.open(requestInput(subjectId, 'access', T0), EVIDENCE);
        await s.rightsRequests.finish(request.id, 'completed', 'history=2', after(T0, SECOND));
        if (restricted) await s.subjects.setRestricted(subjectId, true, after(T0, SECOND));
      }

      const PERSONAL = [
        'subjects',
        'conversation_state',
        'history',
        'profiles',
        'profile_fields',
        'data_keys',
      ];

      it('counts, purges, and leaves only the evidence', async () => {
        await fill(A);
        await fill(B, true);
        await fill('subject-c');
        await s.rightsRequests.open(requestInput(B, 'export', after(T0, SECOND)), EVIDENCE);
        const breach = await s.breaches.record(breachInput(), [A, B]);
        await s.breaches.markNotified(breach.id, A, after(T0, 2 * DAY));
        const evidence = async () => ({
          ledgers: await Promise.all([A, B, 'subject-c'].map((id) => s.consentLedger.list(id))),
          requests: await s.rightsRequests.list({}),
          breaches: await s.breaches.list(),
          pendingForB: await s.breaches.pendingFor(B),
        });
        const evidenceBefore = await evidence();
        const sealed = w.sealer.seals.flatMap((call) => (call.sealed ? [call.sealed.ct] : []));
        expect(sealed.length).toBeGreaterThan(0);

        expect(await w.harness.inventory()).toStrictEqual({
          subjects: 3,
          restrictedSubjects: 1,
          conversations: 3,
          history: 6,
          profiles: 3,
          dataKeys: 3,
          consentLedger: 3,
          rightsRequests: 4,
          unansweredRequests: 1,
          breaches: 1,
          breachNotices: 2,
          people: 3,
          evidenceUntil: EVIDENCE,
        });

        expect(await w.harness.purgePersonalData()).toStrictEqual({
          subjects: 3,
          conversations: 3,
          history: 6,
          profiles: 3,
          dataKeys: 3,
        });

        for (const subjectId of [A, B, 'subject-c']) {
          expect(await s.subjects.get(subjectId)).toBeNull();
          expect(await s.conversations.load(subjectId, 'c1')).toBeNull();
          expect(await s.history.summary(subjectId)).toEqual({ count: 0, paused: 0 });
          expect(await s.profiles.describe(subjectId)).toBeNull();
          expect(await w.dataKeys.find(subjectId)).toBeUndefined();
        }
        expect(await w.dataKeys.count()).toBe(0);
        expect(await evidence()).toStrictEqual(evidenceBefore);

        const dump = await w.harness.dump();
        expect(dump.rows.filter((row) => PERSONAL.includes(row.table))).toEqual([]);
        expect([...new Set(rowsNaming(dump, A))].sort()).toEqual([
          'breach_notices',
          'consent_ledger',
          'rights_requests',
        ]);
        // Nothing of the ciphertext is left in the files either (secure_delete, WAL emptied).
        for (const ct of sealed) expect(dump.files.includes(ct.toString('latin1'))).toBe(false);
        expect(dumpText(dump)).not.toContain(`${A} said hi`);

        expect(await w.harness.inventory()).toMatchObject({
          subjects: 0,
          restrictedSubjects: 0,
          conversations: 0,
          history: 0,
          profiles: 0,
          dataKeys: 0,
          consentLedger: 3,
          rightsRequests: 4,
          breaches: 1,
          breachNotices: 2,
          people: 3,
        });
      });

      it('D2 a second purge finds nothing left, and an empty backend counts zero', async () => {
        expect(await w.harness.inventory()).toStrictEqual({
          subjects: 0,
          restrictedSubjects: 0,
          conversations: 0,
          history: 0,
          profiles: 0,
          dataKeys: 0,
          consentLedger: 0,
          rightsRequests: 0,
          unansweredRequests: 0,
          breaches: 0,
          breachNotices: 0,
          people: 0,
          evidenceUntil: null,
        });
        await fill(A);
        await w.harness.purgePersonalData();
        expect(await w.harness.purgePersonalData()).toStrictEqual({
          subjects: 0,
          conversations: 0,
          history: 0,
          profiles: 0,
          dataKeys: 0,
        });
      });

      it('D3 after a purge nothing new is stored for a person until they decide again', async () => {
        await fill(A);
        await w.harness.purgePersonalData();
        expect(await outcome(s.history.append([line(A, 'after the purge', after(T0, DAY))], E))).toBe(
          'STORAGE_REJECTED',
        );
        expect(await s.history.summary(A)).toEqual({ count: 0, paused: 0 });
      });
    });

    describe('U1 usage counts: anonymous daily totals per feature (the analytics purpose)', () => {
      const day1 = '2040-01-01';
      const day2 = '2040-01-02';

      it('lists the totals of a day range, both ends included, by day then feature', async () => {
        await s.usage.add(
          [
            { day: day2, feature: 'help', count: 2 },
            { day: day1, feature: 'recall', count: 1 },
            { day: day1, feature: 'fallback', count: 4 },
            { day: '2040-01-03', feature: 'help', count: 7 },
          ],
          E,
        );
        expect(await s.usage.list(day1, day2)).toEqual([
          { day: day1, feature: 'fallback', count: 4 },
          { day: day1, feature: 'recall', count: 1 },
          { day: day2, feature: 'help', count: 2 },
        ]);
        expect(await s.usage.list(day2, day2)).toEqual([{ day: day2, feature: 'help', count: 2 }]);
        expect(await s.usage.list('2039-12-01', '2039-12-31')).toEqual([]);
      });

      it('U2 adds every increment to its day and feature, and an empty batch changes nothing', async () => {
        await s.usage.add([{ day: day1, feature: 'help', count: 1 }], E);
        await s.usage.add([{ day: day1, feature: 'help', count: 3 }], E);
        await s.usage.add(
          [
            { day: day1, feature: 'help', count: 5 },
            { day: day2, feature: 'help', count: 1 },
          ],
          E,
        );
        await s.usage.add([], E);
        expect(await s.usage.list(day1, day2)).toEqual([
          { day: day1, feature: 'help', count: 9 },
          { day: day2, feature: 'help', count: 1 },
        ]);
      });

      it('U3 hides a total at its expiry, before any sweep, and the sweep removes it', async () => {
        const later = after(E, 10 * DAY);
        await s.usage.add([{ day: day1, feature: 'help', count: 2 }], E);
        await s.usage.add([{ day: day2, feature: 'help', count: 1 }], E);
        // A later write keeps the later expiry.
        await s.usage.add([{ day: day2, feature: 'help', count: 1 }], later);
        await s.usage.add([{ day: day2, feature: 'help', count: 1 }], E);
        const before = after(E, -SECOND);
        const past = after(E, SECOND);
        expect(await w.at(before, () => s.usage.list(day1, day2))).toHaveLength(2);
        expect(await w.at(past, () => s.usage.list(day1, day2))).toEqual([
          { day: day2, feature: 'help', count: 3 },
        ]);
        await w.sweep(before);
        expect((await w.harness.dump()).rows.filter((row) => row.table === 'usage_counts')).toHaveLength(2);
        await w.sweep(past);
        expect((await w.harness.dump()).rows.filter((row) => row.table === 'usage_counts')).toHaveLength(1);
        await w.sweep(after(later, SECOND));
        expect((await w.harness.dump()).rows.filter((row) => row.table === 'usage_counts')).toEqual([]);
      });

      it('U3 starts an expired total afresh when it is written before the sweep', async () => {
        await s.usage.add([{ day: day1, feature: 'help', count: 5 }], E);
        const past = after(E, SECOND);
        await w.at(past, () => s.usage.add([{ day: day1, feature: 'help', count: 1 }], after(E, DAY)));
        expect(await w.at(past, () => s.usage.list(day1, day1))).toEqual([
          { day: day1, feature: 'help', count: 1 },
        ]);
      });

      it('U4 refuses a batch with a malformed total, writing none of it', async () => {
        const good = { day: day1, feature: 'help', count: 1 };
        for (const bad of [
          { day: '2040-1-1', feature: 'help', count: 1 },
          { day: `${day1} ana`, feature: 'help', count: 1 },
          { day: day1, feature: '', count: 1 },
          { day: day1, feature: 'x'.repeat(101), count: 1 },
          { day: day1, feature: 'help', count: 0 },
          { day: day1, feature: 'help', count: 1.5 },
        ])
          expect(await outcome(s.usage.add([good, bad], E))).toBe('STORAGE_REJECTED');
        expect(await s.usage.list(day1, day1)).toEqual([]);
      });

      it('U5 stores no subject id, and erasure and purge-all leave the anonymous totals', async () => {
        await consented(A);
        await s.usage.add([{ day: day1, feature: 'help', count: 2 }], E);
        const dump = await w.harness.dump();
        const usageRows = dump.rows.filter((row) => row.table === 'usage_counts');
        expect(usageRows).toHaveLength(1);
        expect(usageRows[0]!.text).toContain('help');
        expect(rowsNaming(dump, A)).not.toContain('usage_counts');
        for (const row of usageRows) expect(row.text).not.toMatch(/subject|[0-9a-f]{32}/);
        await s.personalData.eraseAllOf(A);
        await w.harness.purgePersonalData();
        expect(await s.usage.list(day1, day1)).toEqual([{ day: day1, feature: 'help', count: 2 }]);
      });
    });
  });
}

// ---------------------------------------------------------------------------------------------

function after(date: Date, ms: number): Date {
  return new Date(date.getTime() + ms);
}

function decision(
  subjectId: string,
  overrides: Partial<Omit<SubjectRecord, 'restricted' | 'subjectId'>> = {},
): Omit<SubjectRecord, 'restricted'> {
  return {
    subjectId,
    policyVersion: '2040-01',
    purposes: ALL_PURPOSES,
    decidedAt: T0,
    locale: 'en',
    ...overrides,
  };
}

function ledgerEntry(subjectId: string, overrides: Partial<ConsentLedgerEntry> = {}): ConsentLedgerEntry {
  return {
    subjectId,
    purpose: 'history',
    decision: 'granted',
    policyVersion: '2040-01',
    noticeHash: 'a'.repeat(64),
    locale: 'en',
    channel: 'console',
    at: T0,
    ...overrides,
  };
}

function line(
  subjectId: string,
  text: string,
  at: Date,
  overrides: Partial<Omit<HistoryEntryInput, 'subjectId' | 'text' | 'at'>> = {},
): HistoryEntryInput {
  return { subjectId, conversationId: 'conv-1', speaker: 'person', text, at, ...overrides };
}

function requestInput(
  subjectId: string,
  type: RightsRequestType,
  receivedAt: Date,
  dueAt: Date = after(receivedAt, 30 * DAY),
): Omit<RightsRequest, 'id' | 'status'> {
  return { subjectId, type, origin: 'console', receivedAt, dueAt };
}

function dialogState(step: string, data?: Record<string, string>): ConversationState {
  return { activeDialog: { dialogId: 'dialog', step, ...(data && { data }) } };
}

async function first<T>(iterable: AsyncIterable<T>): Promise<T | undefined> {
  const iterator = iterable[Symbol.asyncIterator]();
  try {
    const next = await iterator.next();
    return next.done ? undefined : next.value;
  } finally {
    await iterator.return?.();
  }
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of iterable) all.push(item);
  return all;
}

/** Waits for a call whose rejection the test does not judge (S3 leaves resolve-or-reject open). */
async function settle(promise: Promise<unknown>): Promise<void> {
  await promise.catch(() => undefined);
}

const CALL_TIMEOUT_MS = 5000;

/** 'resolved', the AppError code it rejected with, or what else happened (never hangs). */
async function outcome(promise: Promise<unknown>): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`no answer within ${CALL_TIMEOUT_MS} ms`), CALL_TIMEOUT_MS);
  });
  try {
    return await Promise.race([
      promise.then(
        () => 'resolved',
        (error: unknown) =>
          error instanceof AppError
            ? error.code
            : `not an AppError: ${error instanceof Error ? error.name : typeof error}`,
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

async function outcomes(calls: Record<string, () => Promise<unknown>>): Promise<Record<string, string>> {
  const results: Record<string, string> = {};
  for (const [call, run] of Object.entries(calls)) {
    let started: Promise<unknown>;
    try {
      started = run();
    } catch (error) {
      started = Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    results[call] = await outcome(started);
  }
  return results;
}

function allUnavailable(calls: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.keys(calls).map((call) => [call, 'STORAGE_UNAVAILABLE']));
}

function dumpText(dump: StoredDump): string {
  return [...dump.rows.map((row) => row.text), dump.files].join('\n');
}

/** The tables holding a row that names `subjectId` (as a whole value, not inside a longer id). */
function rowsNaming(dump: StoredDump, subjectId: string): string[] {
  const pattern = new RegExp(`(^|[^\\w%-])${subjectId.replace(/[^\w]/g, '\\$&')}(?![\\w%-])`);
  return dump.rows.filter((row) => pattern.test(row.text)).map((row) => row.table);
}

function comparable(record: DataKeyRecord | undefined) {
  return record && { ...record, wrapped: record.wrapped.toString('hex') };
}
