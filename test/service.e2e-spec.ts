import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { findFreePort, findFreePorts, isProcessAlive } from '#database';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { API_MAIN, ensureBuilt } from './support/build.js';
import { ServiceProcess } from './support/service-process.js';

const PROCESS_TEST_TIMEOUT = 90_000;

/** `npm start` on a machine with no database: the built service on an embedded PostgreSQL. */
describe('the service process', () => {
  let dataDir: string;
  let postgresPort: number;
  let running: ServiceProcess | undefined;

  async function start(): Promise<{ service: ServiceProcess; port: number }> {
    // Not the embedded server's port, free too while that server is stopped.
    const [port] = (await findFreePorts(2)).filter((free) => free !== postgresPort);
    const service = ServiceProcess.start(API_MAIN, {
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      EMBEDDED_POSTGRES_PORT: String(postgresPort),
    });
    return { service, port };
  }

  async function connectToEmbeddedServer(): Promise<pg.Client> {
    const { user, password } = JSON.parse(
      await readFile(join(dataDir, 'credentials.json'), 'utf8'),
    );
    const client = new pg.Client({ host: '127.0.0.1', port: postgresPort, user, password });
    await client.connect();
    return client;
  }

  async function postgresPid(): Promise<number> {
    const pidFile = await readFile(join(dataDir, 'postgres/postmaster.pid'), 'utf8');
    return Number.parseInt(pidFile.split('\n')[0], 10);
  }

  beforeAll(async () => {
    await ensureBuilt();
    dataDir = await mkdtemp(join(tmpdir(), 'campaign-ledger-service-'));
    await chmod(dataDir, 0o755); // as root, the embedded server runs as 'postgres', which must enter it
    postgresPort = await findFreePort();
  }, 120_000);

  afterAll(async () => {
    await ServiceProcess.killAll();
    // A killed service leaves its PostgreSQL running: stop it before removing its folder.
    const orphan = await postgresPid().catch(() => undefined);
    if (orphan && isProcessAlive(orphan)) process.kill(orphan, 'SIGQUIT');
    await rm(dataDir, { recursive: true, force: true });
  });

  it(
    'starts an embedded PostgreSQL in DATA_DIR, migrates it and answers HTTP',
    async () => {
      const { service, port } = await start();
      running = service;

      const response = await service.waitUntilAnswering(`http://127.0.0.1:${port}/`);

      expect(await response.json()).toEqual({ service: 'campaign-ledger', version: '0.1.0' });
      const client = await connectToEmbeddedServer();
      try {
        const { rows } = await client.query(`SELECT to_regclass('public.events') AS events`);
        expect(rows[0].events).toBe('events');
        await client.query('CREATE TABLE survives_restart (note text NOT NULL)');
        await client.query(`INSERT INTO survives_restart VALUES ('written before the restart')`);
      } finally {
        await client.end();
      }
    },
    PROCESS_TEST_TIMEOUT,
  );

  it(
    'refuses a second process on the same DATA_DIR with a one-line reason and exit code 1',
    async () => {
      const { service: second } = await start();

      expect(await second.waitForExit()).toEqual({ code: 1, signal: null });

      expect(second.output).toContain(`DATA_DIR ${dataDir} is in use`);
      expect(second.output).toContain(`(pid ${running!.pid})`);
      expect(second.output).not.toMatch(/\n\s+at /);
      expect(isProcessAlive(running!.pid)).toBe(true);
    },
    PROCESS_TEST_TIMEOUT,
  );

  it(
    'stops on SIGTERM with exit code 0, and stops its PostgreSQL',
    async () => {
      const postgres = await postgresPid();

      running!.signal('SIGTERM');

      expect(await running!.waitForExit()).toEqual({ code: 0, signal: null });
      expect(isProcessAlive(postgres)).toBe(false);
      expect(existsSync(join(dataDir, 'postgres/postmaster.pid'))).toBe(false);
      expect(existsSync(join(dataDir, 'campaign-ledger.pid'))).toBe(false);
    },
    PROCESS_TEST_TIMEOUT,
  );

  it(
    'starts again on the same DATA_DIR with its data, and stops on SIGINT',
    async () => {
      const { service, port } = await start();
      await service.waitUntilAnswering(`http://127.0.0.1:${port}/`);

      const client = await connectToEmbeddedServer();
      try {
        const { rows } = await client.query('SELECT note FROM survives_restart');
        expect(rows).toEqual([{ note: 'written before the restart' }]);
      } finally {
        await client.end();
      }

      service.signal('SIGINT');
      expect(await service.waitForExit()).toEqual({ code: 0, signal: null });
    },
    PROCESS_TEST_TIMEOUT,
  );

  it(
    'stops the PostgreSQL a killed service left running, and starts on the same data',
    async () => {
      const { service, port } = await start();
      await service.waitUntilAnswering(`http://127.0.0.1:${port}/`);
      const orphan = await postgresPid();
      service.signal('SIGKILL');
      await service.waitForExit();
      expect(isProcessAlive(orphan)).toBe(true);

      const { service: next, port: nextPort } = await start();
      await next.waitUntilAnswering(`http://127.0.0.1:${nextPort}/`);
      expect(isProcessAlive(orphan)).toBe(false);
      expect(next.output).toContain('Stopping an orphaned PostgreSQL server');
      next.signal('SIGTERM');
      expect(await next.waitForExit()).toEqual({ code: 0, signal: null });
    },
    PROCESS_TEST_TIMEOUT,
  );

  it(
    'exits at once on a second signal during shutdown, and the next start recovers',
    async () => {
      const { service, port } = await start();
      await service.waitUntilAnswering(`http://127.0.0.1:${port}/`);

      // Both arrive together; the kernel decides which the process sees first.
      service.signal('SIGTERM');
      service.signal('SIGINT');

      const { code } = await service.waitForExit();
      expect([128 + 2, 128 + 15]).toContain(code);
      expect(service.output).toContain('during shutdown: exiting at once');
      const { service: next, port: nextPort } = await start();
      await next.waitUntilAnswering(`http://127.0.0.1:${nextPort}/`);
      next.signal('SIGTERM');
      expect(await next.waitForExit()).toEqual({ code: 0, signal: null });
    },
    PROCESS_TEST_TIMEOUT,
  );

  it(
    'exits 1 with a message naming a bad setting, without a stack trace',
    async () => {
      const service = ServiceProcess.start(API_MAIN, { DATA_DIR: dataDir, PORT: '99999' });

      expect(await service.waitForExit()).toEqual({ code: 1, signal: null });

      expect(service.output.trim()).toBe(
        'Invalid configuration: PORT must not be greater than 65535 (got "99999")',
      );
    },
    PROCESS_TEST_TIMEOUT,
  );

  it(
    'exits 1 naming KurrentDB when EVENT_STORE=kurrentdb and nothing answers, stopping its PostgreSQL',
    async () => {
      const closedPort = await findFreePort();
      const url = `kurrentdb://admin:changeit@127.0.0.1:${closedPort}?tls=false`;
      const service = ServiceProcess.start(API_MAIN, {
        DATA_DIR: dataDir,
        EMBEDDED_POSTGRES_PORT: String(postgresPort),
        EVENT_STORE: 'kurrentdb',
        KURRENTDB_URL: url,
      });

      expect(await service.waitForExit()).toEqual({ code: 1, signal: null });

      expect(service.output).toContain(
        `FATAL [Main] KurrentDB at kurrentdb://admin:***@127.0.0.1:${closedPort}?tls=false ` +
          'cannot be used: nothing answered',
      );
      expect(service.output).not.toContain('changeit');
      expect(existsSync(join(dataDir, 'postgres/postmaster.pid'))).toBe(false);
    },
    PROCESS_TEST_TIMEOUT,
  );
});
