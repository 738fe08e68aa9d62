import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { findFreePort, isProcessAlive } from '#database';
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { API_MAIN, CLI_MAIN, ROOT, ensureBuilt } from './support/build.js';
import { ServiceProcess } from './support/service-process.js';

const npm = (...args: string[]) => promisify(execFile)('npm', args, { cwd: ROOT });

/** The README's second terminal builds (npm run cli) while the first one serves from dist/. */
describe('building while the service runs', () => {
  let dataDir: string;
  let service: ServiceProcess;
  let base: string;

  beforeAll(async () => {
    await ensureBuilt();
    dataDir = await mkdtemp(join(tmpdir(), 'campaign-ledger-build-'));
    await chmod(dataDir, 0o755); // as root, the embedded server runs as 'postgres', which must enter it
    const port = await findFreePort();
    service = ServiceProcess.start(API_MAIN, {
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      EMBEDDED_POSTGRES_PORT: String(await findFreePort()),
      RUN_PROJECTIONS: 'false',
    });
    base = `http://127.0.0.1:${port}`;
    await service.waitUntilAnswering(`${base}/health`);
  }, 120_000);

  afterAll(async () => {
    await ServiceProcess.killAll();
    const pidFile = await readFile(join(dataDir, 'postgres/postmaster.pid'), 'utf8').catch(
      () => '',
    );
    const orphan = Number.parseInt(pidFile.split('\n')[0], 10);
    if (orphan && isProcessAlive(orphan)) process.kill(orphan, 'SIGQUIT');
    await rm(dataDir, { recursive: true, force: true });
  });

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
    expect(service.output).not.toContain('ERR_MODULE_NOT_FOUND');
  }, 300_000);
});
