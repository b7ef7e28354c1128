import { createDecipheriv } from 'node:crypto';
import type { TextReply } from '../../src/core/messages';
import { LOCALES } from '../../src/i18n/locales';
import { type ExportFile, exportFileSchema } from '../../src/privacy/rights/export-format';
import {
  ADULT_ACCEPTS_ALL,
  type TestApp,
  actionIds,
  appPerTest,
  dumpDatabase,
  leaksIn,
} from '../support/test-app';

/**
 * Issue 16, item 1: a corrected or objected profile value is gone from every store the person can
 * export, and from the files. The design (src/engine/steps/record-history.ts): lines that carry or
 * repeat stored profile data ("call me ..." and its answer, every /correct turn, the recall reply)
 * are never recorded in history, so the profile is the one place a name lives, and correcting,
 * objecting to or erasing the profile removes it completely. Notes are history by design: the
 * person's own "remember that ..." line is the note, and the bot's answer does not repeat it.
 *
 * "Gone" is checked three ways: (1) the export file, which holds every stored row decrypted;
 * (2) every table and every byte of the data file, its WAL and the key file, in clear; (3) every
 * sealed field whose bytes are still anywhere in those files (live rows and old page images alike),
 * decrypted with the person's live data key: what someone holding the files and the key could read.
 */

const start = appPerTest();

type Person = ReturnType<TestApp['chat']>;

function t(h: TestApp, key: string, options: Record<string, unknown> = {}): string {
  return h.app.services.i18n.translator('en')(key, options);
}

function texts(replies: readonly TextReply[]): string[] {
  return replies.map((reply) => reply.text);
}

/** Sends /export and returns the file's text and its parsed, schema-checked content. */
async function exportOf(person: Person): Promise<{ text: string; file: ExportFile }> {
  const replies = await person.send('/export');
  const bytes = replies.find((reply) => reply.file)?.file?.bytes;
  expect(bytes).toBeDefined();
  const text = bytes!.toString('utf8');
  return { text, file: exportFileSchema.parse(JSON.parse(text)) };
}

/** The history lines of an export as text, person and bot. */
function historyTexts(file: ExportFile): string[] {
  return file.history.map((line) => line.text);
}

// GCM with a 96-bit IV encrypts with AES-CTR from the counter block IV || 00000002. Decrypting that
// way needs neither the tag nor the AAD nor the exact length: it reads any sealed field whose bytes
// are still somewhere in a file, including old page images in the WAL that no row points at.
const SEALED_V1 = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 5 + 1 + IV_BYTES + 1 + TAG_BYTES;
const READ_AHEAD = 4096;

/**
 * Every text sealed with `key` whose bytes are in `bytes`, decrypted: each offset that looks like
 * a sealed BLOB (format 1, 12-byte IV, 16-byte tag, see src/storage/sqlite/sealed-blob.ts) is
 * decrypted ahead, and the readable text at its start kept. That start may run a few characters
 * past the real plaintext into the bytes after the BLOB, so a value is looked for as a substring;
 * bytes sealed under another key, or not sealed at all, decrypt to noise with no readable start.
 */
function sealedTextsIn(bytes: Buffer, key: Buffer): string[] {
  const found: string[] = [];
  for (let at = 0; at + HEADER_BYTES < bytes.length; at++) {
    if (bytes[at] !== SEALED_V1 || bytes[at + 5] !== IV_BYTES || bytes[at + 6 + IV_BYTES] !== TAG_BYTES)
      continue;
    const iv = bytes.subarray(at + 6, at + 6 + IV_BYTES);
    const counter = Buffer.concat([iv, Buffer.from([0, 0, 0, 2])]);
    const decipher = createDecipheriv('aes-256-ctr', key, counter);
    const start = at + HEADER_BYTES;
    const plain = decipher.update(bytes.subarray(start, Math.min(bytes.length, start + READ_AHEAD)));
    const readable = readableStart(plain);
    if (readable.length >= 3) found.push(readable);
  }
  return found;
}

/** The longest start of `plain` that is UTF-8 text without control characters. */
function readableStart(plain: Buffer): string {
  const text = plain.toString('utf8');
  // eslint-disable-next-line no-control-regex
  const stop = text.search(/[\u0000-\u0008\u000b-\u001f\u007f\ufffd]/u);
  return stop === -1 ? text : text.slice(0, stop);
}

interface FileResidue {
  /** Needles found in clear in any table or any byte of the files (whole words). */
  readonly inClear: string[];
  /** Needles in a sealed field of a row of any table, decrypted with the person's live key. */
  readonly inRows: string[];
  /**
   * Needles in a sealed field anywhere in the bytes of the files, decrypted with the person's live
   * key: the rows, and old page images that no row points at any more (the WAL keeps them).
   */
  readonly inFiles: string[];
  /** Every sealed text the file scan read: the check that it reads what is meant to be there. */
  readonly sealed: string[];
}

/** What a copy of the files shows of `needles`: in clear, or decryptable with the person's live key. */
async function leftInFiles(h: TestApp, subjectId: string, needles: readonly string[]): Promise<FileResidue> {
  const dump = await dumpDatabase(h.db);
  const key = await h.app.encryption.dataKeys.keyForRead(subjectId);
  try {
    const rowBlobs = [...dump.tables.values()].flatMap((rows) =>
      rows.flatMap((row) => Object.values(row).filter((value): value is Buffer => Buffer.isBuffer(value))),
    );
    const inRows = rowBlobs.flatMap((blob) => sealedTextsIn(blob, key.key));
    const sealed = [...dump.files.values()].flatMap((bytes) => sealedTextsIn(bytes, key.key));
    const found = (texts: readonly string[]) =>
      needles.filter((needle) => texts.some((text) => text.includes(needle)));
    return { inClear: leaksIn(dump.text, needles), inRows: found(inRows), inFiles: found(sealed), sealed };
  } finally {
    key.key.fill(0);
  }
}

const NOTE = 'remember that the spare key is under the blue flowerpot';

async function personCalledSam(h: TestApp): Promise<Person> {
  const person = h.chat('sam-raw-id-2718');
  await person.press(ADULT_ACCEPTS_ALL);
  await person.send(NOTE);
  const greeting = await person.send('call me Sam');
  expect(texts(greeting)).toEqual([`${t(h, 'memory.hello', { name: 'Sam' })} ${t(h, 'memory.nameKept')}`]);
  return person;
}

describe('a corrected or objected name is gone from the export and the files (issue 16, item 1)', () => {
  it('(a) call me Sam, /correct to Alex, /export: no Sam in the export, in any row, or in clear in the files', async () => {
    const h = await start();
    const person = await personCalledSam(h);

    const listing = await person.send('/correct');
    expect(listing[0]?.text).toContain(
      t(h, 'correct.fieldLine', { number: 1, field: t(h, 'correct.fields.preferredName'), value: 'Sam' }),
    );
    const pick = actionIds(listing).find((id) => id === 'correct:field:preferredName');
    expect(pick).toBeDefined();
    await person.send({ action: pick! });
    const saved = await person.send('Alex');
    expect(texts(saved)).toEqual([
      t(h, 'correct.saved', { field: t(h, 'correct.fields.preferredName'), value: 'Alex' }),
    ]);

    const { text, file } = await exportOf(person);
    expect(file.profile?.fields).toEqual({ preferredName: 'Alex' });
    expect(leaksIn(text, ['Sam'])).toEqual([]);
    // Alex lives in the profile only: no history line carries it either, so the next correction
    // is as complete as this one.
    expect(leaksIn(historyTexts(file).join('\n'), ['Alex'])).toEqual([]);
    // The note is history by design, and still there.
    expect(historyTexts(file)).toContain(NOTE);

    const files = await leftInFiles(h, person.subjectId, ['Sam', 'Alex']);
    expect(files.inClear).toEqual([]);
    // Decrypted with the live key, the rows hold the new name (the scan works) and not the old one.
    expect(files.inRows).toEqual(['Alex']);
  });

  // Known gap, outside the dialogs: the profile store overwrites the field in place, and SQLite's
  // WAL keeps the page as it was before, with the old ciphertext, until the log is recycled. The
  // person's key is alive, so the files and that key still read "Sam". Erasure and objection
  // checkpoint and truncate the WAL (profiles.deleteAllOf); ProfileStore.set does not yet when it
  // replaces a value. Marked `failing` so it documents the gap and turns red once the store is
  // fixed: then make it a plain `it`.
  it('(a) the replaced name is not left decryptable in an old page image of the WAL', async () => {
    const h = await start();
    const person = await personCalledSam(h);
    await person.send('/correct');
    await person.send({ action: 'correct:field:preferredName' });
    await person.send('Alex');
    await exportOf(person);

    const files = await leftInFiles(h, person.subjectId, ['Sam', 'Alex']);
    expect(files.inFiles).toContain('Alex');
    expect(files.inFiles).not.toContain('Sam');
  });

  it('(a) typing the field number, and a refused value, keep nothing of the correction either', async () => {
    const h = await start();
    const person = await personCalledSam(h);
    await person.send('/correct');
    await person.send('1');
    // A value too long to keep: the refusal must not keep it in history instead.
    const tooLong = 'Alexander'.repeat(10);
    expect(texts(await person.send(tooLong))).toEqual([t(h, 'correct.invalid', { max: 64 })]);
    await person.send('Alex');

    const { text, file } = await exportOf(person);
    expect(file.profile?.fields).toEqual({ preferredName: 'Alex' });
    expect(leaksIn(text, ['Sam', tooLong])).toEqual([]);
    expect(leaksIn(historyTexts(file).join('\n'), ['Alex'])).toEqual([]);
    const files = await leftInFiles(h, person.subjectId, ['Sam', 'Alexander', 'Alex']);
    expect(files.inClear).toEqual([]);
    expect(files.inRows).toEqual(['Alex']);
  });

  it('(b) call me Sam, /object personalisation, /export: no Sam in the export, in any row, or in any byte of the files', async () => {
    const h = await start();
    const person = await personCalledSam(h);

    const chooser = await person.send('/object');
    const personalisation = actionIds(chooser).find((id) => id === 'object:purpose:personalization');
    expect(personalisation).toBeDefined();
    const done = await person.send({ action: personalisation! });
    expect(texts(done)).toEqual([t(h, 'object.done', { purpose: t(h, 'purposes.personalization') })]);

    const { text, file } = await exportOf(person);
    expect(file.profile).toBeNull();
    expect(file.consent?.purposes).toEqual({ history: true, personalization: false, analytics: true });
    expect(leaksIn(text, ['Sam'])).toEqual([]);
    // History itself was not objected to and is still kept.
    expect(historyTexts(file)).toContain(NOTE);

    const files = await leftInFiles(h, person.subjectId, ['Sam']);
    expect(files.inClear).toEqual([]);
    expect(files.inRows).toEqual([]);
    // Deleting the profile truncated the WAL: not even an old page image reads "Sam" with the live key.
    expect(files.inFiles).toEqual([]);
    // ... and the scan does read what is still kept.
    expect(files.sealed.some((sealed) => sealed.includes(NOTE))).toBe(true);
  });

  it('(b) the named form "/object personalization" removes the name just the same', async () => {
    const h = await start();
    const person = await personCalledSam(h);
    await person.send('/object personalization');

    const { text, file } = await exportOf(person);
    expect(file.profile).toBeNull();
    expect(leaksIn(text, ['Sam'])).toEqual([]);
    const files = await leftInFiles(h, person.subjectId, ['Sam']);
    expect(files).toMatchObject({ inClear: [], inRows: [], inFiles: [] });
  });
});

describe('replies that repeat stored data are never recorded in history (issue 16, item 1)', () => {
  it('(c) the "what did I tell you?" reply is not stored, nor the question', async () => {
    const h = await start();
    const person = await personCalledSam(h);
    const before = (await exportOf(person)).file;

    const [recall] = await person.send('what did I tell you?');
    expect(recall?.text).toContain(t(h, 'memory.yourName', { name: 'Sam' }));
    expect(recall?.text).toContain('the spare key is under the blue flowerpot');

    const after = (await exportOf(person)).file;
    // Only the first /export turn was added (its two lines); the recall turn left nothing.
    expect(after.history.length).toBe(before.history.length + 2);
    expect(historyTexts(after)).not.toContain(recall!.text);
    expect(historyTexts(after)).not.toContain('what did I tell you?');
    expect(historyTexts(after).filter((line) => line.includes(t(h, 'memory.recallIntro')))).toEqual([]);
    // The note is stored once, as the person said it; the bot's answer to it did not repeat it.
    expect(historyTexts(after).filter((line) => line.includes('the spare key'))).toEqual([NOTE]);
  });

  it.each([
    [
      'a name too long to keep',
      'consent:age:111:adult:en',
      `call me ${'Sam'.repeat(30)}`,
      'memory.nameTooLong',
    ],
    [
      'a name kept without personalisation consent',
      'consent:age:100:adult:en',
      'call me Sam',
      'memory.nameNotKept',
    ],
  ])(
    '(c) %s is not kept in history either ("I have not kept it" holds)',
    async (_label, decision, line, key) => {
      const h = await start();
      const person = h.chat('sam-raw-id-2718');
      await person.press(decision);
      const [answer] = await person.send(line);
      expect(answer?.text).toContain(t(h, key, { max: 64 }));

      const { text, file } = await exportOf(person);
      expect(file.consent?.purposes.history).toBe(true);
      expect(file.profile).toBeNull();
      expect(text).not.toContain('Sam');
      expect((await leftInFiles(h, person.subjectId, ['Sam'])).inRows).toEqual([]);
    },
  );

  it.each(LOCALES.map((locale) => [locale]))(
    'in %s, no stored line repeats a stored name, and no bot line repeats a note',
    async (locale) => {
      const h = await start();
      const person = h.chat(`polyglot-${locale}`, { localeHint: locale });
      await person.press(ADULT_ACCEPTS_ALL.replace(/:en$/u, `:${locale}`));
      const note = 'the spare key is under the blue flowerpot';
      // Commands, so the script is the same in every language; every dialog that reads stored data.
      const script: (string | { action: string })[] = [
        `/remember ${note}`,
        '/callme Sam',
        '/recall',
        '/mydata',
        '/correct',
        { action: 'correct:field:preferredName' },
        'Alex',
        '/recall',
        '/callme Robin',
        '/correct',
        '1',
        'Kim',
        '/recall',
      ];
      const said: string[] = [];
      for (const input of script) said.push(...texts(await person.send(input)));
      // The dialogs did show the stored data back.
      expect(said.filter((text) => text.includes(note))).toHaveLength(3);
      for (const name of ['Sam', 'Alex', 'Robin', 'Kim']) expect(said.join('\n')).toContain(name);

      const { file } = await exportOf(person);
      expect(file.profile?.fields).toEqual({ preferredName: 'Kim' });
      const stored = file.history;
      // The note is kept once, as the person said it, tagged; no bot line repeats it.
      expect(stored.filter((line) => line.text.includes(note))).toEqual([
        expect.objectContaining({ speaker: 'person', text: `/remember ${note}`, tag: 'note' }),
      ]);
      // No line, the person's or the bot's, carries any name that was ever in the profile.
      expect(leaksIn(historyTexts(file).join('\n'), ['Sam', 'Alex', 'Robin', 'Kim'])).toEqual([]);
      const files = await leftInFiles(h, person.subjectId, ['Sam', 'Alex', 'Robin', 'Kim']);
      expect(files.inClear).toEqual([]);
      expect(files.inRows).toEqual(['Kim']);
    },
  );
});
