import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { findFreePort, isProcessAlive } from '#database';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { API_MAIN, CLI_MAIN, ensureBuilt } from './support/build.js';
import { ServiceProcess } from './support/service-process.js';

type CliRun = { code: number; stdout: string; stderr: string };

/** The README's second terminal: the CLI with no PORT, URL or secret of its own. */
describe('the CLI beside a running service', () => {
  let dataDir: string;
  let otherDataDir: string;
  let service: ServiceProcess;
  let url: string;

  /** The CLI as the second terminal runs it: only DATA_DIR (the service's default) differs. */
  async function cli(env: Record<string, string>, ...args: string[]): Promise<CliRun> {
    const inherited = { ...process.env };
    for (const name of ['PORT', 'JWT_SECRET', 'LEDGER_TOKEN', 'DATABASE_URL']) {
      delete inherited[name];
    }
    try {
      const { stdout, stderr } = await promisify(execFile)(process.execPath, [CLI_MAIN, ...args], {
        env: { ...inherited, ...env },
      });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const { code, stdout, stderr } = error as CliRun;
      return { code, stdout, stderr };
    }
  }

  beforeAll(async () => {
    await ensureBuilt();
    dataDir = await mkdtemp(join(tmpdir(), 'campaign-ledger-finds-'));
    await chmod(dataDir, 0o755); // as root, the embedded server runs as 'postgres', which must enter it
    otherDataDir = await mkdtemp(join(tmpdir(), 'campaign-ledger-other-'));
    const port = await findFreePort();
    service = ServiceProcess.start(API_MAIN, {
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      EMBEDDED_POSTGRES_PORT: String(await findFreePort()),
      RUN_PROJECTIONS: 'false',
    });
    url = `http://127.0.0.1:${port}`;
    await service.waitUntilAnswering(`${url}/health`);
  }, 120_000);

  afterAll(async () => {
    await ServiceProcess.killAll();
    const pidFile = await readFile(join(dataDir, 'postgres/postmaster.pid'), 'utf8').catch(
      () => '',
    );
    const orphan = Number.parseInt(pidFile.split('\n')[0], 10);
    if (orphan && isProcessAlive(orphan)) process.kill(orphan, 'SIGQUIT');
    await rm(dataDir, { recursive: true, force: true });
    await rm(otherDataDir, { recursive: true, force: true });
  });

  it('finds the service on a port of its own, and signs tokens the service accepts', async () => {
    const rows = join(otherDataDir, 'unit.ndjson');
    await writeFile(
      rows,
      JSON.stringify({
        command: 'RegisterUnit',
        unitId: 'FOUND',
        name: 'Found',
        level: 'city',
        effectiveDate: '2024-01-01',
      }),
    );

    const run = await cli({ DATA_DIR: dataDir }, 'import', rows);

    expect(run.stderr).toBe('');
    expect(run).toMatchObject({ code: 0, stdout: expect.stringMatching(/1 row recorded now/) });
  });

  it('says a token it would sign is signed with a secret the service does not use', async () => {
    const run = await cli(
      { DATA_DIR: dataDir, JWT_SECRET: 'another-secret-of-at-least-32-characters' },
      'token',
      '--subject',
      'alice',
      '--role',
      'manager',
    );

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      `This CLI would sign tokens with a secret the service at ${url} does not use`,
    );
  });

  it('says a refused token was signed with a secret the service does not use', async () => {
    const run = await cli({ DATA_DIR: otherDataDir }, 'rebuild', 'plans', '--url', url);

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      `the token is signed with a secret the service at ${url} does not use`,
    );
  });

  it('forgets the address when the service stops', async () => {
    expect(JSON.parse(await readFile(join(dataDir, 'service.json'), 'utf8'))).toMatchObject({
      url,
      pid: service.pid,
    });

    service.signal('SIGTERM');
    await service.waitForExit();

    expect(existsSync(join(dataDir, 'service.json'))).toBe(false);
  }, 60_000);
});
