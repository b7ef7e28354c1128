import type { CliResult } from './run-cli';

/** What the operator tells `npm run privacy -- breach record`: the flags, as typed. */
export interface BreachToRecord {
  readonly what: string;
  readonly when: string;
  /** `all`, or the path of a file listing the people affected. */
  readonly affected: string;
}

/** The command line of `breach record`: a dry run, or with `yes` the real thing. */
export function breachRecordArgs(breach: BreachToRecord, { yes = false } = {}): string[] {
  const args = [
    'breach',
    'record',
    '--what',
    breach.what,
    '--when',
    breach.when,
    '--affected',
    breach.affected,
  ];
  return yes ? [...args, '--yes'] : args;
}

/**
 * Records `breach` with the operator's CLI (`privacy`, e.g. botWithOperatorPerTest().privacy),
 * expects it to succeed and name the new breach, and returns that id with what the CLI printed.
 */
export async function recordBreach(
  privacy: (argv: string[]) => Promise<CliResult>,
  breach: BreachToRecord,
): Promise<{ id: string; result: CliResult }> {
  const result = await privacy(breachRecordArgs(breach, { yes: true }));
  expect(result.code).toBe(0);
  const id = /^recorded breach (br_[0-9a-f]{16})$/m.exec(result.stdout)?.[1];
  expect(id).toBeDefined();
  return { id: id!, result };
}
