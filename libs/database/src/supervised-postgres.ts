import { type ChildProcess, spawn } from 'node:child_process';
import { arch, platform } from 'node:os';
import type { DatabaseLog } from './embedded-postgres-server.js';

export type PostgresLaunch = {
  clusterDir: string;
  port: number;
  /** `-c` settings of the server. */
  settings: Record<string, string>;
  /** As root, the server runs as the unprivileged user with these ids. */
  runAs?: { uid: number; gid: number };
  log: DatabaseLog;
  /** The server's own output, kept by the caller to explain a failed start. */
  onOutput: (text: string) => void;
};

/** Waits between restarts of a server that died; the last one repeats for as long as it keeps dying. */
export const RESTART_DELAYS_MS = [200, 500, 1_000, 2_000, 5_000];

const READY = 'database system is ready to accept connections';

/**
 * The embedded `postgres` server process, restarted when it dies (a `kill -9`, the OOM killer):
 * the pools reconnect on their own once it answers again, so the service rides the outage out
 * instead of answering 500 until someone restarts it.
 *
 * It runs in a session of its own (`detached`), outside the terminal's process group: Ctrl-C
 * reaches this process only, which then stops the server in order, after the HTTP server and
 * the pools, instead of PostgreSQL terminating the connections still in use.
 */
export class SupervisedPostgres {
  private child?: ChildProcess;
  private stopping = false;
  private restartTimer?: NodeJS.Timeout;
  private failedRestarts = 0;
  private restartCount = 0;
  private readonly signalOnExit = () => this.child?.kill('SIGINT');

  private constructor(
    private readonly binary: string,
    private readonly launch: PostgresLaunch,
  ) {}

  static async start(launch: PostgresLaunch): Promise<SupervisedPostgres> {
    const server = new SupervisedPostgres(await postgresBinary(), launch);
    // Should this process end without stopping the server, the server is still told to stop.
    process.once('exit', server.signalOnExit);
    try {
      await server.spawn();
    } catch (error) {
      process.removeListener('exit', server.signalOnExit);
      throw error;
    }
    return server;
  }

  /** The server's pid, while it runs. */
  get pid(): number | undefined {
    return this.child?.exitCode === null ? this.child.pid : undefined;
  }

  /** How many times the server was restarted after dying. */
  get restarts(): number {
    return this.restartCount;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    process.removeListener('exit', this.signalOnExit);
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    // SIGINT is PostgreSQL's fast shutdown: roll back open transactions, checkpoint, exit.
    child.kill('SIGINT');
    await exited;
  }

  /** Resolves once the server accepts connections; rejects if it exits first. */
  private spawn(): Promise<void> {
    const { clusterDir, port, settings, runAs } = this.launch;
    const args = ['-D', clusterDir, '-p', String(port)];
    for (const [key, value] of Object.entries(settings)) args.push('-c', `${key}=${value}`);
    const child = spawn(this.binary, args, {
      ...runAs,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      // English messages, which the readiness check below reads.
      env: { ...process.env, LC_MESSAGES: 'C' },
    });
    this.child = child;
    return new Promise<void>((resolve, reject) => {
      let ready = false;
      let seen = '';
      const read = (chunk: Buffer) => {
        const text = chunk.toString('utf8');
        this.launch.onOutput(text);
        if (ready) return;
        seen = (seen + text).slice(-READY.length * 4);
        if (seen.includes(READY)) {
          ready = true;
          seen = '';
          resolve();
        }
      };
      child.stdout!.on('data', read);
      child.stderr!.on('data', read);
      child.once('error', reject);
      child.once('exit', (code, signal) => {
        if (!ready) {
          reject(new Error(`postgres exited before accepting connections (${signal ?? code})`));
          return;
        }
        this.died(code, signal);
      });
    });
  }

  private died(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.stopping) return;
    this.launch.log.warn(
      `Embedded PostgreSQL exited unexpectedly (${signal ?? `code ${code}`}); restarting it`,
    );
    this.scheduleRestart();
  }

  private scheduleRestart(): void {
    const delay = RESTART_DELAYS_MS[Math.min(this.failedRestarts, RESTART_DELAYS_MS.length - 1)];
    this.restartTimer = setTimeout(() => void this.restart(), delay);
  }

  private async restart(): Promise<void> {
    if (this.stopping) return;
    try {
      await this.spawn();
    } catch (error) {
      if (this.stopping) return;
      // A server killed with -9 leaves its backends behind for a moment, holding its shared
      // memory: a later attempt finds them gone.
      this.failedRestarts++;
      this.launch.log.warn(
        `Embedded PostgreSQL did not restart (${(error as Error).message}); trying again`,
      );
      this.scheduleRestart();
      return;
    }
    this.failedRestarts = 0;
    this.restartCount++;
    this.launch.log.log(
      `Embedded PostgreSQL is running again on 127.0.0.1:${this.launch.port} (restart ${this.restartCount})`,
    );
  }
}

/** The `postgres` binary of the platform package that `embedded-postgres` installed. */
async function postgresBinary(): Promise<string> {
  const binaries = (await import(`@embedded-postgres/${platform()}-${arch()}`)) as {
    postgres: string;
  };
  return binaries.postgres;
}
