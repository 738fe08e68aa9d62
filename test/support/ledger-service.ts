import { findFreePorts } from '#database';
import { chmod, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { type Role } from '../../apps/api/src/auth/actor.js';
import { mintToken } from '../../apps/api/src/auth/mint-token.js';
import { API_MAIN } from './build.js';
import { ServiceProcess, postgresPid, removeServiceData } from './service-process.js';

/** The secret the services of these tests sign with (as the test apps do). */
const SECRET = 'fault-test-secret-that-is-at-least-32-characters';

export type Answer = { status: number; body: Record<string, unknown>; headers: Headers };

/**
 * The built API on an embedded PostgreSQL in a DATA_DIR of its own, as `npm start` runs it,
 * for tests that kill processes: restartable on the same data and the same ports.
 */
export class LedgerService {
  service?: ServiceProcess;

  private constructor(
    readonly dataDir: string,
    readonly port: number,
    readonly postgresPort: number,
    private readonly env: Record<string, string>,
  ) {}

  static async create(env: Record<string, string> = {}): Promise<LedgerService> {
    const dataDir = await mkdtemp(join(tmpdir(), 'campaign-ledger-faults-'));
    await chmod(dataDir, 0o755); // as root, the embedded server runs as 'postgres', which must enter it
    const [port, postgresPort] = await findFreePorts(2);
    return new LedgerService(dataDir, port, postgresPort, env);
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.service = ServiceProcess.start(API_MAIN, {
      DATA_DIR: this.dataDir,
      PORT: String(this.port),
      HOST: '127.0.0.1',
      EMBEDDED_POSTGRES_PORT: String(this.postgresPort),
      JWT_SECRET: SECRET,
      ...this.env,
    });
    await this.service.waitUntilAnswering(`${this.url}/health`, 90_000);
  }

  /** The embedded postmaster's pid, from its lock file. */
  postgresPid(): Promise<number> {
    return postgresPid(this.dataDir);
  }

  /** A query straight on the embedded server, as an operator with psql would run it. */
  async query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    const { user, password } = JSON.parse(
      await readFile(join(this.dataDir, 'credentials.json'), 'utf8'),
    );
    const client = new pg.Client({ host: '127.0.0.1', port: this.postgresPort, user, password });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as T[];
    } finally {
      await client.end();
    }
  }

  token(role: Role): Promise<string> {
    return mintToken(SECRET, { subject: `fault-${role}`, roles: [role], expiresIn: '1h' });
  }

  async request(
    method: string,
    path: string,
    role: Role,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Answer> {
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${await this.token(role)}`,
        ...(body !== undefined && { 'Content-Type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return {
      status: response.status,
      body: text ? JSON.parse(text) : {},
      headers: response.headers,
    };
  }

  /** Polls until `path` answers 200, e.g. /health once the database is back. */
  async waitFor200(path: string, role: Role, timeoutMs = 60_000): Promise<Answer> {
    const deadline = Date.now() + timeoutMs;
    let last: Answer | undefined;
    while (Date.now() < deadline) {
      last = await this.request('GET', path, role).catch(() => undefined);
      if (last?.status === 200) return last;
      await new Promise((done) => setTimeout(done, 200));
    }
    throw new Error(
      `${path} did not answer 200 in time; last ${JSON.stringify(last?.body)}. Output:\n` +
        this.service?.output,
    );
  }

  /** Once every projection runs here again and has caught up with the log. */
  async caughtUp(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const health = await this.request('GET', '/health', 'viewer').catch(() => undefined);
      const projections = (health?.body.info as { projections?: { projections?: unknown[] } })
        ?.projections?.projections as { lag: number; state: string }[] | undefined;
      // Running, not merely at the head: one still retrying after an outage holds no lock yet.
      const current = projections?.every(({ lag, state }) => lag === 0 && state === 'running');
      if (health?.status === 200 && current) return;
      if (Date.now() > deadline) {
        throw new Error(`Projections did not catch up: ${JSON.stringify(health?.body)}`);
      }
      await new Promise((done) => setTimeout(done, 200));
    }
  }

  /** Replays the log into scratch tables and compares them with the live read models. */
  async verifyReadModels(): Promise<Record<string, unknown>> {
    const started = await this.request('POST', '/audit/read-models/verifications', 'auditor', {});
    if (started.status !== 202) throw new Error(`Verification refused: ${JSON.stringify(started)}`);
    for (;;) {
      const { body } = await this.request(
        'GET',
        `/audit/read-models/verifications/${started.body.id}`,
        'auditor',
      );
      if (body.state !== 'running') return body;
      await new Promise((done) => setTimeout(done, 200));
    }
  }

  /** `kill -9` of the service: no shutdown at all; its PostgreSQL is left running. */
  async kill(): Promise<void> {
    this.service!.signal('SIGKILL');
    await this.service!.waitForExit();
  }

  async stop(): Promise<void> {
    if (this.service && !(await isExited(this.service))) {
      this.service.signal('SIGTERM');
      await this.service.waitForExit();
    }
  }

  /** Kills the service and a PostgreSQL it left behind, and removes the data. */
  destroy(): Promise<void> {
    return removeServiceData(this.dataDir);
  }
}

async function isExited(service: ServiceProcess): Promise<boolean> {
  return Promise.race([
    service.exited.then(() => true),
    new Promise<boolean>((done) => setImmediate(() => done(false))),
  ]);
}
