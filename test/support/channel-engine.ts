import type { PlatformName } from '../../adapters';
import { type ExportFile, exportFileSchema } from '../../src/privacy/rights/export-format';
import { consentAction } from './consent-buttons';
import { personalDocumentCounts, typedHistory } from './engine-db-checks';
import { ADULT_ACCEPTS_ALL, type TestApp, dumpDatabase, leaksIn, startTestApp } from './test-app';

/** The one person an adapter engine test speaks as: their platform and platform user id. */
export interface ChannelPerson {
  readonly channel: PlatformName;
  readonly userId: string;
}

/**
 * The real app on fresh SQLite files behind one platform channel, seen from one person: the part
 * test/adapters/<channel>/engine.test.ts share. The channel and its platform double stay in each
 * test file, since what a platform is asked to show differs; what the database keeps does not, so
 * those checks live here and every channel is held to the same ones.
 */
export interface ChannelEngine {
  readonly testApp: TestApp;
  /** The person's pseudonymous id, under which every store keeps them. */
  subjectId(): string;
  /** A consent button as the bot issues it to the person (signed: ./consent-buttons.ts). */
  issued(unsigned: string): string;
  /** "Accept all" and "16 or older" in one press, signed for the person (see ADULT_ACCEPTS_ALL). */
  adultAcceptsAll(): string;
  /** After consent, `secret` is the person's one typed history line, and is nowhere in clear. */
  expectKeptEncrypted(secret: string, rawIds: readonly string[]): Promise<void>;
  /** The export file is valid, holds exactly `messages` as typed, and names nobody by a raw id. */
  expectExportOf(json: string, messages: readonly string[], rawIds: readonly string[]): ExportFile;
  /** A /delete waits for its confirmation: profile, consent, key, state and history all still there. */
  expectErasurePending(): Promise<void>;
  /** After the confirmation nothing personal is left in any table. */
  expectErased(): Promise<void>;
}

/** Starts the app; `onCleanup` (./cleanup-stack.ts) drops its database after the test. */
export async function startChannelEngine(
  person: ChannelPerson,
  onCleanup: (undo: () => Promise<void>) => void,
): Promise<ChannelEngine> {
  const testApp = await startTestApp();
  onCleanup(() => testApp.db.drop());
  const { app, db } = testApp;
  const subjectId = () => app.services.subjectIds.of(person.channel, person.userId);
  const issued = (unsigned: string) =>
    consentAction(app, person.userId, unsigned, { channel: person.channel });

  return {
    testApp,
    subjectId,
    issued,
    adultAcceptsAll: () => issued(ADULT_ACCEPTS_ALL),

    async expectKeptEncrypted(secret, rawIds) {
      expect((await personalDocumentCounts(db, subjectId())).history).toBeGreaterThan(0);
      expect(await typedHistory(app, subjectId())).toEqual([secret]);
      const dump = await dumpDatabase(db);
      expect(leaksIn(dump.text, [secret, ...rawIds])).toEqual([]);
    },

    expectExportOf(json, messages, rawIds) {
      const file = exportFileSchema.parse(JSON.parse(json));
      expect(file.history.filter((line) => line.speaker === 'person').map((line) => line.text)).toEqual(
        messages,
      );
      expect(file.subject).toEqual({ pseudonymousId: subjectId(), restricted: false });
      expect(file.consent?.purposes).toEqual({ history: true, personalization: true, analytics: true });
      expect(file.counts.history).toBe(file.history.length);
      // The file names the person only by the pseudonymous id.
      expect(leaksIn(json, rawIds)).toEqual([]);
      return file;
    },

    async expectErasurePending() {
      const pending = await personalDocumentCounts(db, subjectId());
      expect(pending).toMatchObject({
        profiles: 1,
        profile_fields: 1,
        subjects: 1,
        data_keys: 1,
        conversation_state: 1,
      });
      expect(pending.history).toBeGreaterThan(0);
    },

    async expectErased() {
      expect(await personalDocumentCounts(db, subjectId())).toEqual({
        history: 0,
        profiles: 0,
        profile_fields: 0,
        subjects: 0,
        data_keys: 0,
        conversation_state: 0,
      });
    },
  };
}
