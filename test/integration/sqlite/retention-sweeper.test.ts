import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { RetentionSweeper } from '../../../src/storage/retention-sweeper';
import { type SqliteBackend, openSqliteBackend } from '../../../src/storage/sqlite/backend';

/** A pino logger that keeps every line as an object, to check what the sweeper says. */
function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { logger, lines };
}

let dir: string;
let backend: SqliteBackend;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'sweeper-'));
  backend = openSqliteBackend({
    path: path.join(dir, 'bot.sqlite'),
    keysPath: path.join(dir, 'bot.keys.sqlite'),
    logger: pino({ level: 'silent' }),
  });
});
afterEach(async () => {
  await backend.close();
  rmSync(dir, { recursive: true, force: true });
});

function addStates(count: number, expiresAt: number): void {
  const insert = backend.db.prepare(`INSERT INTO conversation_state VALUES (?, 'c', NULL, 1, ?)`);
  backend.db.transaction(() => {
    for (let i = 0; i < count; i++) insert.run(`s${expiresAt}-${i}`, expiresAt);
  })();
}
const remaining = () =>
  (backend.db.prepare(`SELECT count(*) AS n FROM conversation_state`).get() as { n: number }).n;

describe('RetentionSweeper on SQLite', () => {
  it('deletes expired rows at start-up, before the first turn, and logs counts only', async () => {
    addStates(3, Date.now() - 60_000);
    addStates(2, Date.now() + 3_600_000);
    const { logger, lines } = capturingLogger();
    const sweeper = new RetentionSweeper(backend, logger, 60_000);
    await sweeper.start();
    expect(remaining()).toBe(2);
    const line = lines.find((entry) => entry.msg === 'expired data deleted');
    expect(line?.deleted).toMatchObject({ conversation_state: 3 });
    expect(JSON.stringify(lines)).not.toMatch(/s\d+-\d/);
    await sweeper.stop();
  });

  it('sweeps again on its interval, with the clock it is given', async () => {
    let now = Date.now();
    const sweeper = new RetentionSweeper(backend, pino({ level: 'silent' }), 50, () => new Date(now));
    await sweeper.start();
    addStates(4, now + 1000);
    now += 5000;
    const deadline = Date.now() + 5000;
    while (remaining() > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(remaining()).toBe(0);
    await sweeper.stop();
  });

  it('deletes a large backlog in bounded batches', async () => {
    addStates(2500, Date.now() - 1000);
    const deleted = await backend.sweepExpired(new Date(), 1000);
    expect(deleted.conversation_state).toBe(2500);
    expect(remaining()).toBe(0);
  });

  it('logs a failed pass with its code and keeps the process running', async () => {
    const { logger, lines } = capturingLogger();
    const sweeper = new RetentionSweeper(backend, logger, 60_000);
    await backend.close();
    await expect(sweeper.start()).resolves.toBeUndefined();
    expect(lines.find((entry) => entry.msg === 'retention sweep failed')?.code).toBe('STORAGE_UNAVAILABLE');
    await sweeper.stop();
  });
});
