/** What the figures were measured on: without it, a number in a results file means nothing. */
import os from 'node:os';

export interface MachineInfo {
  readonly cpuModel: string;
  readonly cpuCount: number;
  readonly totalMemoryBytes: number;
  readonly platform: string;
  readonly node: string;
  /** What the pipeline stored into (bench/support/storage.ts); null with --baseline-only. */
  readonly storage: string | null;
  /** The MongoDB of the fullMongo variant; null when MONGODB_URI is unset or with --baseline-only. */
  readonly mongodb: string | null;
  readonly keyProvider: string | null;
  /**
   * 1, 5 and 15-minute load averages when the run started and when it ended: anything else
   * running on the machine shares its cores with the benchmark and skews every figure.
   */
  readonly loadAverage: { readonly atStart: readonly number[]; readonly atEnd: readonly number[] };
}

/** Load averages when the process started (this module is loaded first). */
const LOAD_AT_START = os.loadavg();

export function describeMachine(): Omit<MachineInfo, 'storage' | 'mongodb' | 'keyProvider'> {
  const cpus = os.cpus();
  const round = (values: number[]) => values.map((value) => Math.round(value * 100) / 100);
  return {
    loadAverage: { atStart: round(LOAD_AT_START), atEnd: round(os.loadavg()) },
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cpuCount: cpus.length,
    totalMemoryBytes: os.totalmem(),
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    node: process.version,
  };
}
