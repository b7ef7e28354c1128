import { errorCode } from '../core/errors';
import type { Logger } from '../logging/logger';
import type { DataKeyRecord, DataKeyStore } from './data-key-store-port';
import { DATA_KEY_PURPOSE, type KeyProvider } from './key-provider';
import { logId } from '../logging/log-id';

export interface RotationProgress {
  readonly processed: number;
  /** The count taken at the start, raised if keys were created during the run. */
  readonly total: number;
  readonly rotated: number;
  readonly skipped: number;
  readonly failed: number;
}

export interface RotationSummary {
  readonly total: number;
  readonly rotated: number;
  readonly skipped: number;
  readonly failed: number;
  /** True when the run stopped early because KMS kept failing; run it again to resume. */
  readonly aborted: boolean;
}

export interface RotationOptions {
  readonly onProgress?: (progress: RotationProgress) => void;
  /** Records fetched from MongoDB per round trip. */
  readonly batchSize?: number;
  /** KMS calls in flight at once; KMS request quotas are per account and region. */
  readonly concurrency?: number;
  /** Give up after this many failures in a row, rather than timing out on every remaining key. */
  readonly maxConsecutiveFailures?: number;
}

interface RotationDeps {
  readonly store: DataKeyStore;
  readonly provider: KeyProvider;
  readonly logger: Logger;
  readonly now: () => Date;
}

type Outcome = 'rotated' | 'skipped' | 'failed';

/**
 * Re-wrap every data key under the current master key. Keys already on it are skipped, so the
 * run is idempotent and an interrupted run resumes by running again. Data keys do not change,
 * only their wrapping: no stored field needs re-encrypting and cached keys stay valid.
 */
export async function rotateAllKeys(deps: RotationDeps, options: RotationOptions): Promise<RotationSummary> {
  const concurrency = options.concurrency ?? 4;
  const maxConsecutiveFailures = options.maxConsecutiveFailures ?? 25;
  const counted = await deps.store.count();
  const tally = { processed: 0, rotated: 0, skipped: 0, failed: 0 };
  let consecutiveFailures = 0;
  let aborted = false;
  const pending = new Set<Promise<void>>();

  for await (const record of deps.store.iterate(options.batchSize ?? 100)) {
    const task = rotateOne(deps, record).then((outcome) => {
      tally[outcome]++;
      tally.processed++;
      consecutiveFailures = outcome === 'failed' ? consecutiveFailures + 1 : 0;
      options.onProgress?.({ ...tally, total: Math.max(counted, tally.processed) });
    });
    pending.add(task);
    // Both branches handled, so this bookkeeping chain can never be an unhandled rejection;
    // a throwing onProgress still rejects `task`, which Promise.race/all below report.
    task.then(
      () => pending.delete(task),
      () => pending.delete(task),
    );
    if (pending.size >= concurrency) await Promise.race(pending);
    if (consecutiveFailures >= maxConsecutiveFailures) {
      aborted = true;
      break;
    }
  }
  await Promise.all(pending);

  const summary: RotationSummary = {
    total: aborted ? Math.max(counted, tally.processed) : tally.processed,
    rotated: tally.rotated,
    skipped: tally.skipped,
    failed: tally.failed,
    aborted,
  };
  deps.logger.info({ ...summary, provider: deps.provider.name }, 'data key rotation finished');
  return summary;
}

async function rotateOne(deps: RotationDeps, record: DataKeyRecord): Promise<Outcome> {
  const { provider } = deps;
  if (record.provider === provider.name && provider.isCurrentKey(record.providerKeyId)) return 'skipped';
  if (record.provider !== provider.name) {
    // Moving between providers needs both at once (unwrap with one, wrap with the other).
    deps.logger.warn(
      { subject: logId(record.subjectId), from: record.provider, to: provider.name },
      'cannot rotate across providers',
    );
    return 'failed';
  }
  try {
    const next = await provider.rewrap(
      record.wrapped,
      { subjectId: record.subjectId, purpose: DATA_KEY_PURPOSE },
      record.providerKeyId,
    );
    const updated = await deps.store.updateWrapped(record.subjectId, record, {
      ...next,
      provider: provider.name,
      rotatedAt: deps.now(),
    });
    // Not updated: shredded or rotated by someone else meanwhile; either way nothing is left to do.
    return updated ? 'rotated' : 'skipped';
  } catch (error) {
    deps.logger.warn(
      { subject: logId(record.subjectId), code: errorCode(error) },
      'data key rotation failed',
    );
    return 'failed';
  }
}
