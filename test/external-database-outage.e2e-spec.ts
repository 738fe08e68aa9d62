import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { EmbeddedPostgresServer, findFreePort } from '#database';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt } from './support/build.js';
import { LedgerService } from './support/ledger-service.js';

const TEST_TIMEOUT = 180_000;

/**
 * With DATABASE_URL the service does not own the server and cannot restart it: it answers 503
 * while the server is away and carries on by itself once it is back.
 */
describe('an external PostgreSQL that goes away and comes back', () => {
  let serverDir: string;
  let serverPort: number;
  let server: EmbeddedPostgresServer | undefined;
  let ledger: LedgerService;

  const startServer = async () => {
    server = await EmbeddedPostgresServer.start({ dataDir: serverDir, port: serverPort });
    return server.url;
  };

  beforeAll(async () => {
    await ensureBuilt();
    serverDir = await mkdtemp(join(tmpdir(), 'campaign-ledger-external-'));
    await chmod(serverDir, 0o755);
    serverPort = await findFreePort();
    ledger = await LedgerService.create({ DATABASE_URL: await startServer() });
    await ledger.start();
  }, 150_000);

  afterAll(async () => {
    await ledger?.destroy();
    await server?.stop();
    await rm(serverDir, { recursive: true, force: true });
  });

  const registerUnit = () =>
    ledger.request('POST', '/units', 'manager', {
      unitId: `EXT${Math.random().toString(36).slice(2, 10)}`,
      name: 'External city',
      level: 'city',
      effectiveDate: '2024-01-01',
    });

  it(
    'answers 503 with Retry-After while the server is stopped, and recovers without a restart',
    async () => {
      expect((await registerUnit()).status).toBe(201);

      await server!.stop();
      server = undefined;
      const write = await registerUnit();
      const health = await ledger.request('GET', '/health', 'viewer');

      expect(write.status).toBe(503);
      expect(write.body).toMatchObject({ error: 'database_unavailable' });
      expect(write.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(health.status).toBe(503);

      await startServer();
      await ledger.waitFor200('/health', 'viewer');
      const after = await registerUnit();
      expect(after.status).toBe(201);
      await ledger.caughtUp();
      expect(await ledger.verifyReadModels()).toMatchObject({ state: 'done', match: true });
    },
    TEST_TIMEOUT,
  );
});
