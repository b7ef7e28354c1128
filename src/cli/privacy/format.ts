import { logId } from '../../logging/log-id';

/** Left-aligned columns, two spaces apart. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows
    .map((row) => `${row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ')}`.trimEnd())
    .map((line) => `${line}\n`)
    .join('');
}

/** Subject ids are 64 hex characters; the tables show the same prefix the logs do. */
export function shortSubjectId(subjectId: string): string {
  return logId(subjectId);
}

/** `2025-01-31 09:05`: UTC, to the minute, as the tables show times. */
export function utcMinute(date: Date): string {
  return date.toISOString().slice(0, 16).replace('T', ' ');
}

/** Indented JSON with a final newline, as `--json` and `schema` print it. */
export function prettyJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
