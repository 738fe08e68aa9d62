import { execFile } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const BUILD_SCRIPT = join(ROOT, 'scripts/build.mjs');
export const API_MAIN = join(ROOT, 'dist/apps/api/src/main.js');
export const PROJECTOR_MAIN = join(ROOT, 'dist/apps/projector/src/main.js');
export const CLI_MAIN = join(ROOT, 'dist/apps/cli/src/main.js');
export const DASHBOARD_MAIN = join(ROOT, 'dist/dashboard/main.js');

/**
 * Brings dist/ up to date as `npm run build` does (nothing to do when it is), so process tests
 * run the code under test. The script takes turns under a lock with other builds.
 */
export async function ensureBuilt(...flags: '--force'[]): Promise<void> {
  try {
    await promisify(execFile)(process.execPath, [BUILD_SCRIPT, ...flags], { cwd: ROOT });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`The build failed:\n${stdout ?? ''}${stderr ?? ''}`, { cause: error });
  }
}
