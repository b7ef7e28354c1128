/** Console output for the benchmarks: plain text on stdout, so it can be piped into a file as is. */

export const out = (line = ''): void => {
  process.stdout.write(`${line}\n`);
};

export function fmtMs(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  return ms >= 10 ? `${ms.toFixed(1)} ms` : `${ms.toFixed(2)} ms`;
}

export function fmtInt(value: number): string {
  return Math.round(value).toLocaleString('en');
}

export function fmtBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 * 1024) return `${(bytes / 1024 / 1024 / 1024).toFixed(1)} GB`;
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(2)} MB`;
  return `${(bytes / 1024).toFixed(1)} kB`;
}

/** A multiplier such as "x1.13": how many times the first figure the second one is. */
export function fmtRatio(ratio: number): string {
  return Number.isFinite(ratio) ? `x${ratio.toFixed(2)}` : 'n/a';
}

export function fmtPercent(fraction: number): string {
  return Number.isFinite(fraction) ? `${(fraction * 100).toFixed(1)}%` : 'n/a';
}

/** Left-aligned columns, as wide as their widest cell; the first row is the header. */
export function printTable(rows: readonly (readonly string[])[]): void {
  const header = rows[0];
  if (!header) return;
  const widths = header.map((_, column) => Math.max(...rows.map((cells) => (cells[column] ?? '').length)));
  for (const cells of rows)
    out(
      cells
        .map((cell, column) => cell.padEnd(widths[column]!))
        .join('  ')
        .trimEnd(),
    );
}
