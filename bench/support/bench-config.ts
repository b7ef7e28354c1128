/**
 * Configuration for a benchmark app: the product's own loadConfig on the caller's environment,
 * with throw-away secrets in a temporary DATA_DIR, so nothing of a benchmark outlives it and no
 * real pepper or master key is ever touched.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type AppConfig, loadConfig } from '../../src/config/config';

export interface BenchEnvironment {
  readonly config: AppConfig;
  /** Remove the temporary DATA_DIR. */
  cleanup(): Promise<void>;
}

export async function benchEnvironment(
  prefix: string,
  overrides: Record<string, string> = {},
): Promise<BenchEnvironment> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), `${prefix}-`));
  const config = loadConfig({
    ...process.env,
    DATA_DIR: dataDir,
    SUBJECT_ID_PEPPER: randomBytes(32).toString('hex'),
    LOCAL_MASTER_KEY: process.env.LOCAL_MASTER_KEY ?? randomBytes(32).toString('base64'),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    ...overrides,
  });
  return { config, cleanup: () => fs.rm(dataDir, { recursive: true, force: true }) };
}
