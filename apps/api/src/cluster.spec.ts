import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { type ConsoleLogger } from '@nestjs/common';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CLUSTER_PROJECTOR_POLL_MS,
  ProjectorChild,
  READY_MESSAGE,
  SUPERVISOR_VARIABLE,
  childEnvironments,
  supervisedBy,
} from './cluster.js';

describe('childEnvironments', () => {
  const options = { workers: 2, databaseUrl: 'postgres://db/ledger', runProjections: true };

  it('keeps the projections out of the workers and gives every child the same database', () => {
    const { worker, projector } = childEnvironments(options);

    expect(worker).toEqual({ DATABASE_URL: 'postgres://db/ledger', RUN_PROJECTIONS: 'false' });
    expect(projector).toMatchObject({ DATABASE_URL: 'postgres://db/ledger' });
  });

  it('has the projector poll at the cluster default, unless the operator said how often', () => {
    expect(childEnvironments(options).projector.EVENT_POLL_INTERVAL_MS).toBe(
      String(CLUSTER_PROJECTOR_POLL_MS),
    );
    expect(
      childEnvironments({ ...options, pollIntervalMs: 250 }).projector.EVENT_POLL_INTERVAL_MS,
    ).toBe('250');
  });
});

describe('supervisedBy', () => {
  const ours = { [SUPERVISOR_VARIABLE]: '4242' };

  it('takes a process for ours only when the marker names its parent and it has a channel', () => {
    expect(supervisedBy(ours, 4242, true)).toBe(true);
  });

  it('does not trust the marker without an IPC channel (set in a shell, inherited)', () => {
    expect(supervisedBy(ours, 4242, false)).toBe(false);
  });

  it('does not trust a marker naming another process, nor a channel alone (pm2 -i)', () => {
    expect(supervisedBy(ours, 1, true)).toBe(false);
    expect(supervisedBy({}, 4242, true)).toBe(false);
  });
});

describe('ProjectorChild', () => {
  let dir: string;
  const children: ProjectorChild[] = [];
  const logged: string[] = [];
  const logger = {
    log: (message: string) => logged.push(`log ${message}`),
    warn: (message: string) => logged.push(`warn ${message}`),
    error: (message: string) => logged.push(`error ${message}`),
  } as unknown as ConsoleLogger;

  /** A projector stand-in running `body` (an ES module). */
  async function projector(name: string, body: string, graceMs?: number) {
    const main = join(dir, `${name}.mjs`);
    await writeFile(main, body);
    const child = new ProjectorChild(logger, {}, main, graceMs);
    children.push(child);
    return child;
  }
  const ready = `process.send(${JSON.stringify(READY_MESSAGE)});`;
  const stayUp = 'setInterval(() => undefined, 1000);';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cluster-spec-'));
  });
  afterEach(async () => {
    const left = children.splice(0);
    const pids = left.map((child) => child.pid);
    // Whatever a failed test leaves, no child outlives the test run.
    await withDeadline(Promise.all(left.map((child) => child.stop())), 'stop()').catch(() => {
      for (const pid of pids) if (pid) killQuietly(pid);
    });
    logged.length = 0;
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('fails the start when the projector dies before it says it is ready', async () => {
    const child = await projector('dies', 'process.exit(3);');

    await expect(child.start()).rejects.toThrow('exited with code 3 before it was ready');
  });

  it('counts as started only once the projector says it is ready', async () => {
    const go = join(dir, 'go');
    const child = await projector(
      'waits',
      `import { existsSync } from 'node:fs';
      const wait = setInterval(() => { if (existsSync(${JSON.stringify(go)})) { clearInterval(wait); ${ready} } }, 20);
      ${stayUp}`,
    );
    let started = false;

    const start = child.start().then(() => (started = true));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(started).toBe(false);
    await writeFile(go, '');
    await start;
    expect(started).toBe(true);
  });

  it('starts another, after a pause, when a ready projector dies', async () => {
    const child = await projector('crashes', `${ready} setTimeout(() => process.exit(5), 50);`);
    await child.start();

    const warning = await waitFor(() => logged.find((line) => line.startsWith('warn')));
    expect(warning).toMatch(/exited with code 5; starting another in \d+ ms/);
  });

  it('kills a projector that does not exit within the grace period, and says so', async () => {
    const child = await projector(
      'stuck',
      `process.on('SIGTERM', () => undefined); ${ready} ${stayUp}`,
      200,
    );
    await child.start();
    const pid = child.pid!;

    try {
      await withDeadline(child.stop(), 'stop()');
    } finally {
      killQuietly(pid);
    }

    expect(logged).toContainEqual(expect.stringMatching(/did not exit within 200 ms.*SIGKILL/));
    expect(() => process.kill(pid, 0)).toThrow();
  });

  it('stops a projector that exits on SIGTERM without killing it', async () => {
    const child = await projector('polite', `${ready} ${stayUp}`, 5_000);
    await child.start();

    await child.stop();

    expect(logged.filter((line) => line.includes('SIGKILL'))).toEqual([]);
  });
});

/** What `find` finds once it finds something; fails the test after 10 s. */
async function waitFor<T>(find: () => T | undefined): Promise<T> {
  for (const deadline = Date.now() + 10_000; Date.now() < deadline;) {
    const found = find();
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('Nothing found within 10 s');
}

/** `promise`, or a failure naming `what` once 10 s have gone by. */
async function withDeadline<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not end within 10 s`)), 10_000);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}
