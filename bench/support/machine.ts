/** What the figures were measured on: without it, a number in a results file means nothing. */
import os from 'node:os';

export interface MachineInfo {
  readonly cpuModel: string;
  readonly cpuCount: number;
  readonly totalMemoryBytes: number;
  readonly platform: string;
  readonly node: string;
  /** `db.admin().serverInfo().version`; null when no MongoDB was used (--baseline-only). */
  readonly mongod: string | null;
  /** Where the MongoDB came from (MONGODB_URI, a mongod binary, ...). */
  readonly mongoSource: string | null;
  readonly keyProvider: string | null;
}

export function describeMachine(): Omit<MachineInfo, 'mongod' | 'mongoSource' | 'keyProvider'> {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cpuCount: cpus.length,
    totalMemoryBytes: os.totalmem(),
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    node: process.version,
  };
}
