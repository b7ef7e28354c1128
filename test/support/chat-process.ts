import { spawn } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');

export interface JsonReply {
  user: string;
  text: string;
  actions: Array<{ id: string; label: string }>;
}

/**
 * Runs one `npm run chat -- --json` process as a person's script would: one stdin line per
 * message, one JSON reply per stdout line. `withoutEnv` names variables of the test runner's
 * environment the process must not inherit (e.g. key material that should come from DATA_DIR).
 */
export async function chatJson(
  lines: unknown[],
  env: Record<string, string>,
  withoutEnv: readonly string[] = [],
): Promise<JsonReply[]> {
  const inherited = { ...process.env };
  for (const name of withoutEnv) delete inherited[name];
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/main.ts', '--channel', 'console', '--json'],
    { cwd: root, env: { ...inherited, LOG_LEVEL: 'warn', ...env } },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.end(
    lines.map((line) => (typeof line === 'string' ? line : JSON.stringify(line))).join('\n') + '\n',
  );
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  // stderr in the failure message, so a failing run shows why.
  if (code !== 0) throw new Error(`npm run chat exited with ${code}; stderr:\n${stderr}`);
  return stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as JsonReply);
}
