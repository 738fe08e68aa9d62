import { randomUUID } from 'node:crypto';
import pg from 'pg';

export type TestDatabase = { url: string; drop(): Promise<void> };

function adminUrl(): string {
  const url = process.env.TEST_DATABASE_ADMIN_URL;
  if (!url)
    throw new Error('TEST_DATABASE_ADMIN_URL is not set: run integration tests through jest');
  return url;
}

async function asAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * A fresh, empty database on the test server, so test files never share tables. `icuLocale`
 * gives it that ICU collation instead of the server's C, as production databases often have.
 */
export async function createTestDatabase(
  options: { icuLocale?: string } = {},
): Promise<TestDatabase> {
  const name = `cl_test_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  const collation = options.icuLocale
    ? ` TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE '${options.icuLocale}'`
    : '';
  await asAdmin((client) => client.query(`CREATE DATABASE ${name}${collation}`));
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => asAdmin((client) => dropWhenClosed(client, name)),
  };
}

/**
 * pg's `pool.end()` resolves before its connections have closed; forcing the drop at once
 * would kill them mid-goodbye and raise unhandled errors in the closing pool. Wait for them.
 */
async function dropWhenClosed(client: pg.Client, name: string): Promise<void> {
  for (let waited = 0; waited < 5_000; waited += 50) {
    const { rows } = await client.query(
      'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1',
      [name],
    );
    if (rows[0].n === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}
