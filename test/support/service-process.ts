import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';

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
    { ownProcessGroup = false } = {},
  ): ServiceProcess {
    const inherited = { ...process.env };
    for (const name of ['DATABASE_URL', 'TEST_DATABASE_URL', 'TEST_DATABASE_ADMIN_URL']) {
      delete inherited[name];
    }
    return new ServiceProcess(
      spawn(process.execPath, [main], {
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
