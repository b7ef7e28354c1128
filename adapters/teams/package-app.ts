/**
 * `npm run teams:package`: builds dist/teams-app.zip, the app package you upload in Teams (Apps →
 * Manage your apps → Upload an app) or submit to the store. Needs MICROSOFT_APP_ID,
 * PRIVACY_POLICY_URL and TERMS_URL; PRIVACY_CONTACT goes into the description.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ZipFile } from 'yazl';
import { loadConfig, type AppConfig } from '../../src/config/config';
import { ConfigError, errorCode } from '../../src/core/errors';
import { renderAppFiles, teamsAppInputsFromConfig, type AppPackageFile } from './app-manifest';

export const DEFAULT_OUT_FILE = path.join('dist', 'teams-app.zip');

// A fixed timestamp makes the zip byte-for-byte reproducible from the same configuration.
const FIXED_MTIME = new Date('2020-01-01T00:00:00Z');

/** Files at the root of the zip, as Teams requires (no folder around them). */
export function zipFiles(files: readonly AppPackageFile[]): Promise<Buffer> {
  const zip = new ZipFile();
  for (const file of files) zip.addBuffer(file.bytes, file.name, { mtime: FIXED_MTIME });
  zip.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.outputStream.on('error', reject);
  });
}

export async function packageTeamsApp(
  config: Pick<AppConfig, 'channels' | 'privacy'>,
  options: { readonly outFile: string; readonly version: string; readonly localesDir?: string },
): Promise<{ readonly outFile: string; readonly files: readonly string[] }> {
  const files = renderAppFiles(
    teamsAppInputsFromConfig(config, options.version),
    options.localesDir ? { localesDir: options.localesDir } : {},
  );
  const zip = await zipFiles(files);
  await mkdir(path.dirname(options.outFile), { recursive: true });
  await writeFile(options.outFile, zip);
  return { outFile: options.outFile, files: files.map((file) => file.name) };
}

async function main(): Promise<void> {
  const config = loadConfig();
  const packageJson = JSON.parse(await readFile(path.join(__dirname, '../../package.json'), 'utf8')) as {
    version: string;
  };
  const result = await packageTeamsApp(config, {
    outFile: path.resolve(DEFAULT_OUT_FILE),
    version: packageJson.version,
  });
  process.stdout.write(`wrote ${path.relative(process.cwd(), result.outFile)}: ${result.files.join(', ')}\n`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`teams:package failed (${errorCode(error)})\n`);
    if (error instanceof ConfigError) process.stderr.write(`${error.message}\n`);
    process.exitCode = 1;
  });
}
