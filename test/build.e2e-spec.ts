import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { CLI_MAIN, ROOT, ensureBuilt } from './support/build.js';
import { ServiceWithOwnData } from './support/service-process.js';

const npm = (...args: string[]) => promisify(execFile)('npm', args, { cwd: ROOT });

/** The README's second terminal builds (npm run cli) while the first one serves from dist/. */
describe('building while the service runs', () => {
  let running: ServiceWithOwnData;
  let base: string;

  beforeAll(async () => {
    await ensureBuilt();
    running = await ServiceWithOwnData.start({ prefix: 'campaign-ledger-build-' });
    base = running.url;
  }, 120_000);

  afterAll(() => running?.cleanUp());

  it('keeps serving every file, and leaves a whole dist, through two full builds at once', async () => {
    const failures: string[] = [];
    let building = true;
    const watching = (async () => {
      while (building) {
        for (const path of ['/health', '/dashboard/main.js', '/dashboard/index.html']) {
          const response = await fetch(`${base}${path}`).catch((error: Error) => error);
          if (response instanceof Error) failures.push(`${path}: ${response.message}`);
          else if (response.status !== 200) failures.push(`${path}: ${response.status}`);
          else if ((await response.text()).length === 0) failures.push(`${path}: empty`);
        }
      }
    })();

    try {
      await Promise.all([npm('run', 'build:force'), npm('run', 'build:force')]);
    } finally {
      building = false;
      await watching;
    }

    expect(failures).toEqual([]);
    const help = await promisify(execFile)(process.execPath, [CLI_MAIN, '--help'], { cwd: ROOT });
    expect(help.stdout).toContain('campaign-ledger');
    expect(running.service.output).not.toContain('ERR_MODULE_NOT_FOUND');
  }, 300_000);
});
