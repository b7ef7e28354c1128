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
}

export function describeMachine(): Omit<MachineInfo, 'storage' | 'mongodb' | 'keyProvider'> {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cpuCount: cpus.length,
    totalMemoryBytes: os.totalmem(),
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    node: process.version,
  };
}
