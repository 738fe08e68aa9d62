import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CLI_MAIN, ensureBuilt } from './support/build.js';
import { type ServiceProcess, ServiceWithOwnData } from './support/service-process.js';

type CliRun = { code: number; stdout: string; stderr: string };

/** The README's second terminal: the CLI with no PORT, URL or secret of its own. */
describe('the CLI beside a running service', () => {
  let running: ServiceWithOwnData;
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
    running = await ServiceWithOwnData.start({ prefix: 'campaign-ledger-finds-' });
    ({ dataDir, service, url } = running);
    otherDataDir = await mkdtemp(join(tmpdir(), 'campaign-ledger-other-'));
  }, 120_000);

  afterAll(async () => {
    await running?.cleanUp();
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
