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
  /**
   * Share of the machine's CPU time that other processes used while the benchmark ran (all
   * cores' busy time minus this process's own, over all cores' time): above a few percent, the
   * figures are skewed.
   */
  readonly otherProcessesCpuShare: number;
}

/** Load averages and CPU times when the process started (this module is loaded first). */
const LOAD_AT_START = os.loadavg();
const CPU_AT_START = cpuTimes();
const OWN_AT_START = process.cpuUsage();

function cpuTimes(): { busy: number; total: number } {
  let busy = 0;
  let total = 0;
  for (const { times } of os.cpus()) {
    const all = times.user + times.nice + times.sys + times.irq + times.idle;
    total += all;
    busy += all - times.idle;
  }
  // os.cpus() times are in milliseconds.
  return { busy, total };
}

function otherProcessesCpuShare(): number {
  const now = cpuTimes();
  const own = process.cpuUsage(OWN_AT_START);
  const ownMs = (own.user + own.system) / 1000;
  const total = now.total - CPU_AT_START.total;
  if (total <= 0) return 0;
  return Math.max(0, (now.busy - CPU_AT_START.busy - ownMs) / total);
}

export function describeMachine(): Omit<MachineInfo, 'storage' | 'mongodb' | 'keyProvider'> {
  const cpus = os.cpus();
  const round = (values: number[]) => values.map((value) => Math.round(value * 100) / 100);
  return {
    loadAverage: { atStart: round(LOAD_AT_START), atEnd: round(os.loadavg()) },
    otherProcessesCpuShare: Math.round(otherProcessesCpuShare() * 1000) / 1000,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cpuCount: cpus.length,
    totalMemoryBytes: os.totalmem(),
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    node: process.version,
  };
}
