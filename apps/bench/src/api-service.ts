import { findFreePort } from '#database';
import { type ChildProcess, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { mintToken } from '../../api/src/auth/mint-token.js';

const API_MAIN = fileURLToPath(new URL('../../api/src/main.js', import.meta.url));

/**
 * Node's flags in `npm start`, `npm run start:projector` and the image (README, "Node's young
 * generation"): the service's processes, and the bench's workers that stand in for them.
 */
export const SERVICE_NODE_FLAGS = ['--max-semi-space-size=64'];

/** The built service (`node dist/apps/api/src/main.js`) as a child process, as in production. */

/** Linux's USER_HZ, the unit of /proc/<pid>/stat's CPU times (`getconf CLK_TCK`). */
const CLOCK_TICKS_PER_SECOND = 100;
export class ApiService {
  private output = '';
  private readonly exited: Promise<number | null>;

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
    readonly token: string,
  ) {
    child.stdout?.on('data', (chunk) => (this.output = (this.output + chunk).slice(-20_000)));
    child.stderr?.on('data', (chunk) => (this.output = (this.output + chunk).slice(-20_000)));
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  static async start(options: {
    databaseUrl: string;
    jwtSecret: string;
    env?: Record<string, string>;
    /** e.g. `['--cpu-prof']` to profile the service under load. */
    nodeArgs?: string[];
  }): Promise<ApiService> {
    const port = await findFreePort();
    const inherited = { ...process.env };
    for (const name of ['DATABASE_URL', 'TEST_DATABASE_URL', 'DATA_DIR', 'PORT', 'HOST'])
      delete inherited[name];
    const child = spawn(
      process.execPath,
      [...SERVICE_NODE_FLAGS, ...(options.nodeArgs ?? []), API_MAIN],
      {
        env: {
          ...inherited,
          DATABASE_URL: options.databaseUrl,
          JWT_SECRET: options.jwtSecret,
          PORT: String(port),
          HOST: '127.0.0.1',
          LOG_LEVEL: 'warn',
          ...options.env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const token = await mintToken(options.jwtSecret, {
      subject: 'bench',
      roles: ['manager'],
      expiresIn: '12h',
    });
    const service = new ApiService(child, `http://127.0.0.1:${port}`, token);
    await service.waitUntilHealthy();
    return service;
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** The most memory the process has held so far (VmHWM), in MiB; undefined off Linux. */
  async peakRssMiB(): Promise<number | undefined> {
    const status = await readFile(`/proc/${this.pid}/status`, 'utf8').catch(() => '');
    const kib = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
    return kib ? Number(kib) / 1024 : undefined;
  }

  /**
   * The CPU time the service has used so far (user and system), in ms, with every process it
   * started (the HTTP workers and projector of API_WORKERS > 1); undefined off Linux. Less
   * disturbed by other tenants of the machine than a rate: it counts only the service's work,
   * however long it waited for a core. A child that exited meanwhile is no longer counted.
   */
  async cpuMs(): Promise<number | undefined> {
    let total = 0;
    for (const pid of [this.pid, ...(await descendants(this.pid))]) {
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
      // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ticks = Number(fields[11]) + Number(fields[12]);
      if (!Number.isFinite(ticks)) return pid === this.pid ? undefined : total;
      total += (ticks * 1000) / CLOCK_TICKS_PER_SECOND;
    }
    return total;
  }

  /** A JSON request with the bench's manager token; throws with the answer on a non-2xx. */
  async post(path: string, body: unknown): Promise<unknown> {
    const response = await fetch(new URL(path, this.url), {
      method: 'POST',
      headers: { Authorization: `Bearer ${this.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    const answer = await response.text();
    if (!response.ok) throw new Error(`POST ${path} answered ${response.status}: ${answer}`);
    return JSON.parse(answer);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null) this.child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>(
      (resolve) => (timer = setTimeout(resolve, 30_000, 'timeout')),
    );
    const code = await Promise.race([this.exited, timeout]);
    clearTimeout(timer);
    if (code === 'timeout') {
      this.child.kill('SIGKILL');
      throw new Error(`The service did not stop within 30 s. Its output:\n${this.output}`);
    }
  }

  private async waitUntilHealthy(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let exit: number | null | undefined;
    void this.exited.then((code) => (exit = code));
    while (Date.now() < deadline && exit === undefined) {
      const response = await fetch(new URL('/health', this.url)).catch(() => undefined);
      if (response?.status === 200) return;
      await sleep(200);
    }
    if (exit === undefined) this.child.kill('SIGKILL');
    throw new Error(
      `The service did not become healthy (${exit === undefined ? `not within ${timeoutMs} ms` : `it exited with ${exit}`}). Its output:\n${this.output}`,
    );
  }
}

/** Every process below `pid`, from /proc (empty off Linux). */
async function descendants(pid: number): Promise<number[]> {
  const text = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '');
  const children = text.split(' ').filter(Boolean).map(Number);
  const below = await Promise.all(children.map(descendants));
  return [...children, ...below.flat()];
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
