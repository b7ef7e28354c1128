/** The value of a count option such as `--limit`; anything but a whole number from 1 up is a usage error. */
export function positiveInt(option: string, value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new Error(`${option} must be a positive integer`);
  return parsed;
}
