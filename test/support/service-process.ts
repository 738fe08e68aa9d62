import { findFreePorts, isProcessAlive } from '#database';
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { API_MAIN } from './build.js';

export type Exit = { code: number | null; signal: NodeJS.Signals | null };

/** A built entry point (see build.ts) running as a child process, as in production. */
export class ServiceProcess {
  private static readonly running = new Set<ServiceProcess>();
  private text = '';
  readonly exited: Promise<Exit>;

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    child.stdout.on('data', (chunk) => (this.text += chunk));
    child.stderr.on('data', (chunk) => (this.text += chunk));
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        ServiceProcess.running.delete(this);
        resolve({ code, signal });
      });
    });
    ServiceProcess.running.add(this);
  }

  /**
   * Starts `main` with the test runner's environment minus any database settings, plus `env`;
   * it inherits no DATABASE_URL unless `env` gives one.
   */
  static start(
    main: string,
    env: Record<string, string>,
    {
      ownProcessGroup = false,
      nodeArgs = [],
    }: {
      ownProcessGroup?: boolean;
      /** Before `main`, e.g. `--import`. */ nodeArgs?: string[];
    } = {},
  ): ServiceProcess {
    const inherited = { ...process.env };
    for (const name of ['DATABASE_URL', 'TEST_DATABASE_URL', 'TEST_DATABASE_ADMIN_URL']) {
      delete inherited[name];
    }
    return new ServiceProcess(
      spawn(process.execPath, [...nodeArgs, main], {
        env: { ...inherited, ...env },
        stdio: 'pipe',
        // As a shell starts a foreground job: a group of its own, which Ctrl-C signals whole.
        detached: ownProcessGroup,
      }),
    );
  }

  /** Ends every child a test left running, so none outlives the test run. */
  static async killAll(): Promise<void> {
    await Promise.all(
      [...ServiceProcess.running].map((service) => {
        service.child.kill('SIGKILL');
        return service.exited;
      }),
    );
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** Everything the process wrote to stdout and stderr so far. */
  get output(): string {
    return this.text;
  }

  signal(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** What Ctrl-C in a terminal does: signal every process of the group (see `ownProcessGroup`). */
  signalGroup(signal: NodeJS.Signals): void {
    process.kill(-this.child.pid!, signal);
  }

  /** Resolves when `url` answers 200; fails, with the process's output, if it exits or times out. */
  async waitUntilAnswering(url: string, timeoutMs = 60_000): Promise<Response> {
    const deadline = Date.now() + timeoutMs;
    let exit: Exit | undefined;
    void this.exited.then((result) => (exit = result));
    while (Date.now() < deadline && !exit) {
      const response = await fetch(url).catch(() => undefined);
      if (response?.status === 200) return response;
      await new Promise((done) => setTimeout(done, 250));
    }
    throw new Error(
      `${url} did not answer ${exit ? `(the process exited: ${JSON.stringify(exit)})` : `within ${timeoutMs} ms`}. ` +
        `Its output:\n${this.output}`,
    );
  }

  /** Resolves with how the process exited; fails, with its output, if it takes too long. */
  async waitForExit(timeoutMs = 60_000): Promise<Exit> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`Still running after ${timeoutMs} ms. Output:\n${this.output}`)),
        timeoutMs,
      );
    });
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}

/**
 * The built API as `npm start` runs it, on an embedded PostgreSQL in a fresh DATA_DIR of its
 * own, on free ports, without projections unless `env` says otherwise.
 */
export class ServiceWithOwnData {
  private constructor(
    readonly service: ServiceProcess,
    readonly dataDir: string,
    readonly url: string,
  ) {}

  /** Starts it and resolves once `/health` answers 200. */
  static async start(
    options: { env?: Record<string, string>; nodeArgs?: string[]; prefix?: string } = {},
  ): Promise<ServiceWithOwnData> {
    const dataDir = await mkdtemp(join(tmpdir(), options.prefix ?? 'campaign-ledger-service-'));
    await chmod(dataDir, 0o755); // as root, the embedded server runs as 'postgres', which must enter it
    const [port, postgresPort] = await findFreePorts(2);
    const service = ServiceProcess.start(
      API_MAIN,
      {
        DATA_DIR: dataDir,
        PORT: String(port),
        HOST: '127.0.0.1',
        EMBEDDED_POSTGRES_PORT: String(postgresPort),
        RUN_PROJECTIONS: 'false',
        ...options.env,
      },
      { nodeArgs: options.nodeArgs },
    );
    const running = new ServiceWithOwnData(service, dataDir, `http://127.0.0.1:${port}`);
    try {
      await service.waitUntilAnswering(`${running.url}/health`);
    } catch (error) {
      await running.cleanUp();
      throw error;
    }
    return running;
  }

  /**
   * Kills every service process a test started, then the embedded postmaster a killed service
   * leaves behind (it outlives its parent), and deletes the DATA_DIR.
   */
  cleanUp(): Promise<void> {
    return removeServiceData(this.dataDir);
  }
}

/** The embedded postmaster's pid, from the lock file in a service's DATA_DIR. */
export async function postgresPid(dataDir: string): Promise<number> {
  const pidFile = await readFile(join(dataDir, 'postgres/postmaster.pid'), 'utf8');
  return Number.parseInt(pidFile.split('\n')[0], 10);
}

/**
 * Kills every service process a test started, then the embedded postmaster a killed service
 * leaves behind in `dataDir` (it outlives its parent), and deletes `dataDir`.
 */
export async function removeServiceData(dataDir: string): Promise<void> {
  await ServiceProcess.killAll();
  const orphan = await postgresPid(dataDir).catch(() => undefined);
  if (orphan && isProcessAlive(orphan)) process.kill(orphan, 'SIGQUIT');
  await rm(dataDir, { recursive: true, force: true });
}
