import { type ConsoleLogger } from '@nestjs/common';
import { fork, type ChildProcess } from 'node:child_process';
import cluster, { type Worker } from 'node:cluster';
import { fileURLToPath } from 'node:url';
import { serveClusterScrapes } from './metrics/cluster-metrics.js';
import { type ProcessResources } from './process-resources.js';

/** The built projector, beside the built API (dist/apps/…). */
export const PROJECTOR_MAIN = fileURLToPath(
  new URL('../../projector/src/main.js', import.meta.url),
);

/** A child that ran at least this long before dying is restarted at once; sooner, after a pause. */
const STEADY_MS = 10_000;
const FIRST_PAUSE_MS = 500;
const LONGEST_PAUSE_MS = 30_000;

/**
 * The variable a cluster's primary sets in its children's environment, to its own pid. A
 * process counts as supervised only when it finds it naming its parent and has an IPC channel
 * to that parent: a variable inherited or set in a shell, or a worker of another cluster runner
 * (pm2 -i), is not ours. Read once and removed, so nothing the child starts inherits it.
 */
export const SUPERVISOR_VARIABLE = 'CAMPAIGN_LEDGER_SUPERVISOR';

/** Whether a process with this environment, parent and IPC channel was started by our primary. */
export function supervisedBy(
  env: NodeJS.ProcessEnv,
  parentPid: number,
  hasChannel: boolean,
): boolean {
  return hasChannel && env[SUPERVISOR_VARIABLE] === String(parentPid);
}

const supervised = supervisedBy(process.env, process.ppid, typeof process.send === 'function');
delete process.env[SUPERVISOR_VARIABLE];

/**
 * Whether this process was started by a supervising API process (an HTTP worker, or the
 * projector it forked): it then stops when the supervisor tells it (SIGTERM) or goes away, and
 * leaves a terminal's Ctrl-C, which reaches the whole process group, to the supervisor, which
 * stops everything in order. Anything else (a plain `npm start`, a worker of pm2's cluster
 * mode) handles its signals like a process of its own.
 */
export function isSupervised(): boolean {
  return supervised;
}

/** Signal handling for a supervised process: see `isSupervised`. */
export function stopWithSupervisor(resources: ProcessResources): void {
  for (const signal of ['SIGINT', 'SIGHUP'] as const) process.on(signal, () => undefined);
  resources.exitOnSignals(['SIGTERM']);
  // The supervisor died (kill -9): nothing would stop this process otherwise. A cluster worker
  // exits at once on its own (node:cluster does that); a forked projector closes first.
  if (!cluster.isWorker) process.once('disconnect', () => process.emit('SIGTERM'));
}

/** The message a supervised projector sends its supervisor once it has opened everything. */
export const READY_MESSAGE = 'campaign-ledger:ready';

/** Tells the supervisor, if any, that this process is ready. */
export function reportReady(): void {
  if (supervised) process.send?.(READY_MESSAGE);
}

/** How long a child has to close after SIGTERM before it is killed (SIGKILL). */
export const STOP_GRACE_MS = 30_000;

/**
 * One supervised child that is started again whenever it dies, except while stopping. It
 * counts as started once `ready` resolves; dying before that fails the start.
 */
abstract class Supervised<C> {
  protected child?: C;
  private stopping = false;
  private pause = 0;
  private startedAt = 0;
  private restartTimer?: NodeJS.Timeout;
  /** Set once the first start succeeded: later deaths restart instead of failing. */
  private running = false;

  constructor(
    protected readonly name: string,
    protected readonly logger: ConsoleLogger,
    private readonly graceMs = STOP_GRACE_MS,
  ) {}

  protected abstract spawn(): C;
  /** The operating-system process the child runs in. */
  protected abstract processOf(child: C): ChildProcess;
  /** Resolves when the child can work; rejects with its exit if it dies first. */
  protected abstract ready(child: C): Promise<void>;

  private pidOf(child: C): number | undefined {
    return this.processOf(child).pid;
  }

  /** How the child ended, once it has (at once if it already has). */
  private exited(child: C): Promise<string> {
    const running = this.processOf(child);
    if (running.exitCode !== null || running.signalCode !== null)
      return Promise.resolve(describeExit(running.exitCode, running.signalCode));
    return new Promise((resolve) =>
      running.once('exit', (code, signal) => resolve(describeExit(code, signal))),
    );
  }

  private terminate(child: C, signal: 'SIGTERM' | 'SIGKILL'): void {
    this.processOf(child).kill(signal);
  }

  async start(): Promise<void> {
    const child = this.launch();
    await this.ready(child);
    this.running = true;
  }

  /**
   * Stops the child (SIGTERM, so it closes its connections) and waits for it to exit; one
   * still there after the grace period (stuck closing) is killed, so stopping always ends.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    const child = this.child;
    if (!child) return;
    const exit = this.exited(child);
    this.terminate(child, 'SIGTERM');
    let deadline: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      deadline = setTimeout(() => resolve('late'), this.graceMs);
    });
    try {
      if ((await Promise.race([exit, late])) !== 'late') return;
    } finally {
      clearTimeout(deadline);
    }
    this.logger.warn(
      `${this.name} (pid ${this.pidOf(child)}) did not exit within ${this.graceMs} ms of ` +
        'SIGTERM; killing it (SIGKILL)',
      'Cluster',
    );
    this.terminate(child, 'SIGKILL');
    await exit;
  }

  get pid(): number | undefined {
    return this.child && this.pidOf(this.child);
  }

  /** The child running now, if one is. */
  get current(): C | undefined {
    return this.child;
  }

  private launch(): C {
    const child = this.spawn();
    this.child = child;
    this.startedAt = Date.now();
    void this.exited(child).then((how) => this.onExit(child, how));
    return child;
  }

  private onExit(child: C, how: string): void {
    if (this.child !== child) return;
    this.child = undefined;
    if (this.stopping || !this.running) return;
    const steady = Date.now() - this.startedAt >= STEADY_MS;
    this.pause = steady ? 0 : Math.min(LONGEST_PAUSE_MS, Math.max(FIRST_PAUSE_MS, this.pause * 2));
    this.logger.warn(
      `${this.name} (pid ${this.pidOf(child)}) ${how}; starting another` +
        (this.pause > 0 ? ` in ${this.pause} ms` : ''),
      'Cluster',
    );
    this.restartTimer = setTimeout(() => {
      if (this.stopping) return;
      const next = this.launch();
      this.ready(next).then(
        () => this.logger.log(`${this.name} (pid ${this.pidOf(next)}) is running`, 'Cluster'),
        () => undefined, // its exit is handled (and logged) like any other
      );
    }, this.pause);
  }
}

function describeExit(code: number | null, signal: string | null): string {
  return signal ? `was killed by ${signal}` : `exited with code ${code}`;
}

/** One HTTP worker of the cluster; the primary hands it connections to the shared port. */
class HttpWorker extends Supervised<Worker> {
  /** Its `process` label in the cluster's metrics, kept by the worker that replaces it. */
  readonly label: string;

  constructor(
    index: number,
    logger: ConsoleLogger,
    private readonly env: Record<string, string>,
  ) {
    super(`HTTP worker ${index}`, logger);
    this.label = `worker-${index}`;
  }

  protected spawn(): Worker {
    const worker = cluster.fork({ ...this.env, [SUPERVISOR_VARIABLE]: String(process.pid) });
    // For good: an 'error' with no listener (a failed IPC send) would end the primary.
    worker.on('error', (error) => this.logger.error(`${this.name}: ${error.message}`, 'Cluster'));
    return worker;
  }

  protected processOf(worker: Worker): ChildProcess {
    return worker.process;
  }

  protected ready(worker: Worker): Promise<void> {
    return new Promise((resolve, reject) => {
      worker.once('listening', () => resolve());
      worker.once('exit', (code, signal) =>
        reject(new Error(`${this.name} ${describeExit(code, signal)} before it listened`)),
      );
    });
  }
}

/** The projector (apps/projector) as a child process: the one runner of the projections. */
export class ProjectorChild extends Supervised<ChildProcess> {
  constructor(
    logger: ConsoleLogger,
    private readonly env: Record<string, string>,
    /** The script to run: the built projector, unless a test says otherwise. */
    private readonly main = PROJECTOR_MAIN,
    graceMs = STOP_GRACE_MS,
  ) {
    super('The projector', logger, graceMs);
  }

  protected spawn(): ChildProcess {
    const child = fork(this.main, [], {
      env: { ...process.env, ...this.env, [SUPERVISOR_VARIABLE]: String(process.pid) },
      stdio: 'inherit',
    });
    // For good: an 'error' with no listener (a failed kill or IPC send) would end the primary.
    child.on('error', (error) => this.logger.error(`${this.name}: ${error.message}`, 'Cluster'));
    return child;
  }

  protected processOf(child: ChildProcess): ChildProcess {
    return child;
  }

  /**
   * Ready once it says so (`reportReady`: its database connections and projections are open);
   * it catches up in the background after that. Dying or failing to start before fails it.
   */
  protected ready(child: ChildProcess): Promise<void> {
    return new Promise((resolve, reject) => {
      const onMessage = (message: unknown) => {
        if (message !== READY_MESSAGE) return;
        settle();
        resolve();
      };
      const onExit = (code: number | null, signal: string | null) => {
        settle();
        reject(new Error(`${this.name} ${describeExit(code, signal)} before it was ready`));
      };
      const onError = (error: Error) => {
        settle();
        reject(error);
      };
      const settle = () => {
        child.off('message', onMessage);
        child.off('exit', onExit);
        child.off('error', onError);
      };
      child.on('message', onMessage);
      child.once('exit', onExit);
      child.once('error', onError);
    });
  }
}

export type ClusterOptions = {
  workers: number;
  /** The database every child uses (DATABASE_URL, or the embedded server's URL). */
  databaseUrl: string;
  /** Whether the cluster runs the projections, in one projector process. */
  runProjections: boolean;
  /** EVENT_POLL_INTERVAL_MS as the operator set it; undefined when left to its default. */
  pollIntervalMs?: number;
};

/**
 * How often the cluster's projector looks for new events unless EVENT_POLL_INTERVAL_MS says
 * otherwise. Every append comes from another process (a worker), so this poll, not a commit
 * in its own process, is what wakes the projections: at the default 100 ms it alone would
 * add up to 100 ms to every change feed's latency. A poll is one indexed read of the log's
 * tail, shared by all projections.
 */
export const CLUSTER_PROJECTOR_POLL_MS = 10;

/** The settings the primary gives its children on top of its own environment. */
export function childEnvironments(options: ClusterOptions): {
  worker: Record<string, string>;
  projector: Record<string, string>;
} {
  const worker = { DATABASE_URL: options.databaseUrl, RUN_PROJECTIONS: 'false' };
  return {
    worker,
    projector: {
      ...worker,
      EVENT_POLL_INTERVAL_MS: String(options.pollIntervalMs ?? CLUSTER_PROJECTOR_POLL_MS),
    },
  };
}

/**
 * The API on several processes: `workers` HTTP workers (node:cluster, sharing the port) that
 * never run projections, and, with `runProjections`, one projector process. Each child that
 * dies is started again. Opened through `resources` so that shutdown stops the workers first
 * (no request left half-served), then the projector, then whatever was opened before (the
 * embedded PostgreSQL).
 */
export async function startCluster(
  resources: ProcessResources,
  logger: ConsoleLogger,
  options: ClusterOptions,
): Promise<void> {
  const env = childEnvironments(options);
  let projector: ProjectorChild | undefined;
  let workers: HttpWorker[] = [];
  // A scrape of any worker's /metrics shows every child's series (metrics/cluster-metrics.ts):
  // every slot is listed, so one restarting counts as missing.
  await resources.open(
    "the cluster's metrics",
    async () =>
      serveClusterScrapes(() => [
        ...workers.map((worker) => {
          const running = worker.current;
          return {
            name: worker.label,
            channel: running?.isConnected() ? running : undefined,
          };
        }),
        ...(options.runProjections
          ? [
              {
                name: 'projector',
                channel: projector?.current?.connected ? projector.current : undefined,
              },
            ]
          : []),
      ]),
    async (stop) => stop(),
  );
  if (options.runProjections) {
    projector = await resources.open(
      'the projector',
      async () => {
        const projector = new ProjectorChild(logger, env.projector);
        await projector.start();
        logger.log(`The projector (pid ${projector.pid}) runs the projections`, 'Cluster');
        return projector;
      },
      (projector) => projector.stop(),
    );
  }
  await resources.open(
    `${options.workers} HTTP workers`,
    async () => {
      workers = Array.from(
        { length: options.workers },
        (_, index) => new HttpWorker(index + 1, logger, env.worker),
      );
      const started = await Promise.allSettled(workers.map((worker) => worker.start()));
      const failed = started.find((result) => result.status === 'rejected');
      if (failed) {
        await Promise.all(workers.map((worker) => worker.stop()));
        throw failed.reason;
      }
      return workers;
    },
    (started) => Promise.all(started.map((worker) => worker.stop())).then(() => undefined),
  );
}
