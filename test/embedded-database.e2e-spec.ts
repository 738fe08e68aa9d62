import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { findFreePort, isProcessAlive } from '#database';
import { mkdtemp, stat } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { API_MAIN, ensureBuilt } from './support/build.js';
import { ServiceProcess, postgresPid, removeServiceData } from './support/service-process.js';

const PROCESS_TEST_TIMEOUT = 90_000;

/** The embedded PostgreSQL where a user meets it first: a fresh folder, a terminal, Ctrl-C. */
describe('the embedded database in a fresh DATA_DIR', () => {
  const dataDirs: string[] = [];

  beforeAll(() => ensureBuilt(), 120_000);

  afterAll(async () => {
    for (const dataDir of dataDirs) await removeServiceData(dataDir);
  });

  it(
    'starts in a folder made by mktemp -d (mode 700), even as root, and stops in order on Ctrl-C',
    async () => {
      // What `DATA_DIR=$(mktemp -d) npm start` gets: no chmod, as a user would not think of one.
      const dataDir = await mkdtemp(join(tmpdir(), 'campaign-ledger-fresh-'));
      dataDirs.push(dataDir);
      expect((await stat(dataDir)).mode & 0o777).toBe(0o700);
      const port = await findFreePort();
      const service = ServiceProcess.start(
        API_MAIN,
        { DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1' },
        { ownProcessGroup: true },
      );
      await service.waitUntilAnswering(`http://127.0.0.1:${port}/health`);
      // Ctrl-C to a started service: every projection elected and following, and the event
      // store's pool holding idle connections (health reads the head), which must be closed
      // before PostgreSQL stops.
      const deadline = Date.now() + 30_000;
      for (;;) {
        const health = await (await fetch(`http://127.0.0.1:${port}/health`)).json();
        const loops: { state: string }[] = health.info?.projections?.projections ?? [];
        if (loops.length > 0 && loops.every(({ state }) => state === 'running')) break;
        if (Date.now() > deadline) {
          throw new Error(
            `The projections were not all running within 30 s: ${JSON.stringify(loops)}. ` +
              `The service's output:\n${service.output}`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const postgres = await postgresPid(dataDir);
      if (userInfo().uid === 0) {
        expect(service.output).toContain(`Let user 'postgres' enter DATA_DIR ${dataDir}`);
      }

      service.signalGroup('SIGINT');

      expect(await service.waitForExit()).toEqual({ code: 0, signal: null });
      expect(isProcessAlive(postgres)).toBe(false);
      // PostgreSQL got no SIGINT of its own: it stopped after the pools closed their connections.
      expect(service.output).not.toContain('terminating connection due to administrator command');
      expect(service.output).not.toMatch(/\bWARN\b/);
    },
    PROCESS_TEST_TIMEOUT,
  );
});
