import { execFile } from 'node:child_process';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const API_MAIN = join(ROOT, 'dist/apps/api/src/main.js');
export const PROJECTOR_MAIN = join(ROOT, 'dist/apps/projector/src/main.js');
export const CLI_MAIN = join(ROOT, 'dist/apps/cli/src/main.js');
export const DASHBOARD_MAIN = join(ROOT, 'dist/dashboard/main.js');

const SOURCE_DIRS = ['apps', 'libs'];
const CONFIG_FILES = ['package.json', 'tsconfig.json', 'tsconfig.build.json'];
const TEST_FILE = /\.(spec|int-spec|e2e-spec)\.ts$/;
const LOCK = join(ROOT, 'node_modules/.cache/campaign-ledger-build.lock');
const STALE_LOCK_MS = 5 * 60_000;

/**
 * Compiles the apps into dist/ (as `npm run build` does) unless dist is newer than every
 * source, so process tests run the code under test. Jest workers build one at a time.
 */
export async function ensureBuilt(): Promise<void> {
  await withLock(async () => {
    if (await isUpToDate()) return;
    try {
      for (const project of ['tsconfig.build.json', 'apps/dashboard/tsconfig.json']) {
        await promisify(execFile)(
          process.execPath,
          [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', project],
          { cwd: ROOT },
        );
      }
    } catch (error) {
      const { stdout, stderr } = error as { stdout?: string; stderr?: string };
      throw new Error(`The build failed:\n${stdout ?? ''}${stderr ?? ''}`, { cause: error });
    }
  });
}

async function isUpToDate(): Promise<boolean> {
  const built = await Promise.all(
    [API_MAIN, PROJECTOR_MAIN, CLI_MAIN, DASHBOARD_MAIN].map(modifiedAt),
  );
  if (built.some((time) => time === undefined)) return false;
  const sources = [
    ...(await Promise.all(SOURCE_DIRS.map((dir) => sourceFiles(join(ROOT, dir))))).flat(),
    ...CONFIG_FILES.map((file) => join(ROOT, file)),
  ];
  const newestSource = Math.max(...(await Promise.all(sources.map(modifiedAt))).map(Number));
  return Math.min(...built.map(Number)) > newestSource;
}

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !TEST_FILE.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name));
}

async function modifiedAt(path: string): Promise<number | undefined> {
  return stat(path).then(
    (info) => info.mtimeMs,
    () => undefined,
  );
}

async function withLock(work: () => Promise<void>): Promise<void> {
  await mkdir(dirname(LOCK), { recursive: true });
  for (;;) {
    try {
      await mkdir(LOCK);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const since = await modifiedAt(LOCK);
      if (since !== undefined && Date.now() - since > STALE_LOCK_MS) {
        await rm(LOCK, { recursive: true, force: true });
      } else {
        await new Promise((done) => setTimeout(done, 200));
      }
    }
  }
  try {
    await work();
  } finally {
    await rm(LOCK, { recursive: true, force: true });
  }
}
