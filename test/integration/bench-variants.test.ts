import pino from 'pino';
import { type BenchEnvironment, benchEnvironment } from '../../bench/support/bench-config';
import { keptInHistory, scriptedText } from '../../bench/support/conversation';
import {
  type PipelineVariant,
  type PipelineVariantName,
  runPipelineRound,
  startVariant,
} from '../../bench/support/pipeline-variants';
import { type TestDatabase, dumpDatabase, leaksIn, openTestDatabase } from '../support/db';

/**
 * Issue 6: the benchmark's three variants measure what they claim, on the default SQLite backend
 * in real files. Figures are never asserted here, only what each variant stored: the full app
 * stores history encrypted and makes no KMS call on a warm turn; the plaintext variant stores the
 * same rows with the text in clear (bench/ only); people who declined leave no history at all.
 */

const PEOPLE = 3;
const TURNS = 6;
// Phrases the scripted conversation says (bench/support/conversation.ts).
const SAID = [scriptedText(0, 0), scriptedText(0, 4)];

const logger = pino({ level: 'silent' });
let env: BenchEnvironment;
let variant: PipelineVariant | undefined;
let db: TestDatabase;

beforeAll(async () => {
  env = await benchEnvironment('bench-variants-test');
});

afterEach(async () => {
  await variant?.close();
  variant = undefined;
});

afterAll(async () => {
  await env.cleanup();
});

/** The variant on a test database, so the test can read its files afterwards. */
async function start(name: PipelineVariantName): Promise<PipelineVariant> {
  db = openTestDatabase();
  variant = await startVariant(name, env.config, logger, {
    backend: db.backend,
    description: 'test database',
    dispose: () => db.drop(),
  });
  return variant;
}

/**
 * The consent turn stores the bot's reply; each turn then stores the message and one reply,
 * except a recall ("what did I tell you?") and a "call me ...", which are kept out of the history.
 */
const KEPT_TURNS = Array.from({ length: TURNS }, (_, turn) => turn).filter(keptInHistory).length;
const EXPECTED_LINES = PEOPLE * (1 + 2 * KEPT_TURNS);

describe('benchmark variants (issue 6)', () => {
  it('counts on a script with a recall and a "call me", which the history does not keep', () => {
    expect(scriptedText(0, 2)).toBe('what did I tell you?');
    expect(scriptedText(0, 3)).toBe('call me Person 0');
    expect(KEPT_TURNS).toBe(TURNS - 2);
  });

  it('full: history stored only encrypted; one data key per person, no KMS call on a warm turn', async () => {
    const full = await start('full');
    const round = await runPipelineRound(full, 'test', PEOPLE, TURNS);
    expect(round.historyStored).toBe(EXPECTED_LINES);
    expect(round.kms.onboarding.generateDataKey).toBe(PEOPLE);
    expect(round.kms.conversation.total).toBe(0);
    expect(round.cache.misses).toBe(0);
    expect(round.cache.hits).toBeGreaterThan(0);
    const dump = await dumpDatabase(db);
    expect(dump.tables.get('history')).toHaveLength(EXPECTED_LINES);
    expect(dump.tables.get('data_keys')).toHaveLength(PEOPLE);
    expect(leaksIn(dump.text, SAID)).toEqual([]);
  });

  it('plaintext: the same rows with the text in clear, and no data key at all', async () => {
    const plaintext = await start('plaintext');
    const round = await runPipelineRound(plaintext, 'test', PEOPLE, TURNS);
    expect(round.historyStored).toBe(EXPECTED_LINES);
    expect(round.kms.onboarding.total + round.kms.conversation.total).toBe(0);
    const dump = await dumpDatabase(db);
    expect(dump.tables.get('history')).toHaveLength(EXPECTED_LINES);
    // In clear in the rows and in the bytes at rest: the variant measures what it claims.
    expect(leaksIn(dump.text, SAID)).toEqual(SAID);
    expect(leaksIn(dump.rawText, SAID)).toEqual(SAID);
    expect(dump.tables.get('data_keys') ?? []).toHaveLength(0);
  });

  it('no storage: people who declined leave no history and no data key', async () => {
    const noStorage = await start('noStorage');
    const round = await runPipelineRound(noStorage, 'test', PEOPLE, TURNS);
    expect(round.historyStored).toBe(0);
    expect(round.kms.onboarding.total + round.kms.conversation.total).toBe(0);
    const dump = await dumpDatabase(db);
    expect(dump.tables.get('history') ?? []).toHaveLength(0);
    expect(dump.tables.get('data_keys') ?? []).toHaveLength(0);
    expect(leaksIn(dump.text, SAID)).toEqual([]);
  });
});
