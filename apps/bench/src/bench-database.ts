import { EmbeddedPostgresServer, migrateDatabase } from '#database';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { migrations } from '../../api/src/database/migrations.js';

export type ServerFacts = {
  kind: 'embedded' | 'external';
  version: string;
  settings: Record<string, string>;
};

/** A fresh, migrated database for one run, on an external server or an embedded one. */
export type BenchDatabase = {
  url: string;
  server: ServerFacts;
  close(): Promise<void>;
};

const REPORTED_SETTINGS = [
  'shared_buffers',
  'synchronous_commit',
  'fsync',
  'wal_level',
  'max_wal_size',
  'max_connections',
];

/**
 * With `externalUrl` (a role that may CREATE DATABASE), a new database on that server, dropped
 * at the end. Without it, an embedded PostgreSQL in a temporary folder with the settings
 * `npm start` uses (durable commits: a benchmark of fsync=off would flatter every figure).
 */
export async function openBenchDatabase(options: {
  externalUrl?: string;
  keep: boolean;
  log: (message: string) => void;
}): Promise<BenchDatabase> {
  const name = `campaign_ledger_bench_${Date.now()}`;
  if (options.externalUrl) {
    const adminUrl = options.externalUrl;
    await onServer(adminUrl, (client) => client.query(`CREATE DATABASE ${name}`));
    const url = withDatabase(adminUrl, name);
    await migrateDatabase(url, migrations);
    options.log(`Benchmark database ${name} on ${new URL(adminUrl).host}`);
    return {
      url,
      server: await serverFacts(url, 'external'),
      close: async () => {
        if (options.keep) return options.log(`Kept database ${name}`);
        await onServer(adminUrl, (client) =>
          client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
        );
      },
    };
  }
  const folder = await mkdtemp(join(tmpdir(), 'campaign-ledger-bench-'));
  await chmod(folder, 0o755); // as root the server runs as 'postgres', which must enter it
  const server = await EmbeddedPostgresServer.start({ dataDir: folder });
  try {
    await onServer(server.url, (client) => client.query(`CREATE DATABASE ${name}`));
    const url = withDatabase(server.url, name);
    await migrateDatabase(url, migrations);
    options.log(`Embedded PostgreSQL on port ${server.port}, data in ${folder}`);
    return {
      url,
      server: await serverFacts(url, 'embedded'),
      close: async () => {
        await server.stop();
        if (options.keep) return options.log(`Kept the embedded cluster in ${folder}`);
        await rm(folder, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await server.stop();
    await rm(folder, { recursive: true, force: true });
    throw error;
  }
}

async function serverFacts(url: string, kind: ServerFacts['kind']): Promise<ServerFacts> {
  return onServer(url, async (client) => {
    const { rows } = await client.query<{ name: string; setting: string }>(
      `SELECT name, current_setting(name) AS setting FROM pg_settings
       WHERE name = ANY($1) OR name = 'server_version'`,
      [REPORTED_SETTINGS],
    );
    const settings: Record<string, string> = {};
    let version = '';
    for (const row of rows) {
      if (row.name === 'server_version') version = row.setting;
      else settings[row.name] = row.setting;
    }
    return { kind, version, settings };
  });
}

export async function onServer<T>(
  url: string,
  work: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
