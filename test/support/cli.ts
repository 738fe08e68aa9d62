import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { TEST_JWT_SECRET } from './app.js';
import { CLI_MAIN } from './build.js';

/** How a run of the built CLI ended. */
export type CliRun = { code: number; stdout: string; stderr: string };

/**
 * Runs the built CLI (call `ensureBuilt` first) with the test apps' secret and `dataDir` as
 * its DATA_DIR, and answers however it ends.
 */
export async function runCli(dataDir: string, ...args: string[]): Promise<CliRun> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [CLI_MAIN, ...args], {
      env: { ...process.env, JWT_SECRET: TEST_JWT_SECRET, DATA_DIR: dataDir },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const { code, stdout, stderr } = error as { code: number; stdout: string; stderr: string };
    return { code, stdout, stderr };
  }
}
