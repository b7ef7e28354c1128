/** Command-line numbers: a benchmark with a typo in its options must stop, not run something else. */
export function positiveInt(name: string, raw: string | undefined): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new UsageError(`--${name} must be a positive integer`);
  return value;
}

/** A mistake on the command line: reported without a stack, exit code 2. */
export class UsageError extends Error {}
