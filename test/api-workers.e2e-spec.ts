import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { isProcessAlive } from '#database';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { get } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { API_MAIN, ensureBuilt } from './support/build.js';
import { LedgerService } from './support/ledger-service.js';
import { ServiceProcess } from './support/service-process.js';

const CASE_TIMEOUT = 180_000;
const APPENDS = 150;
const CLIENTS = 6;
/** The worker is killed once this many appends were answered: the rest run through the cluster. */
const KILL_AFTER = 40;

type Child = { pid: number; args: string };

/** The processes `pid` started, as `ps` sees them. */
async function childrenOf(pid: number): Promise<Child[]> {
  const { stdout } = await promisify(execFile)('ps', ['--ppid', String(pid), '-o', 'pid=,args=']);
  return stdout
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(.*)$/.exec(line))
    .filter((match) => match !== null)
    .map((match) => ({ pid: Number(match[1]), args: match[2] }));
}

/**
 * Resolves once the service has written its address file (all workers listen); fails with its
 * output if it exits first or takes longer than `timeoutMs`.
 */
async function addressFileWritten(
  service: ServiceProcess,
  dataDir: string,
  timeoutMs = 90_000,
): Promise<void> {
  const addressFile = join(dataDir, 'service.json');
  let exit: unknown;
  void service.exited.then((how) => (exit = how));
  for (const deadline = Date.now() + timeoutMs; !existsSync(addressFile);) {
    if (exit) {
      throw new Error(
        `The service exited (${JSON.stringify(exit)}) before writing ${addressFile}:\n${service.output}`,
      );
    }
    if (Date.now() > deadline) {
      throw new Error(`No ${addressFile} within ${timeoutMs} ms:\n${service.output}`);
    }
    await new Promise((done) => setTimeout(done, 100));
  }
}

/** Kills what is left of a process group a test started as a terminal would. */
function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // The group is gone already.
  }
}

/** A GET on a connection of its own, so that the cluster may hand it to either worker. */
function getOnNewConnection(
  url: string,
  token?: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers = token ? { Authorization: `Bearer ${token}` } : {};
    get(url, { agent: false, headers }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

/** The sum of a metric's samples whose labels include every `labels` pair. */
function sampleSum(text: string, name: string, labels: Record<string, string> = {}): number {
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .filter((line) =>
      Object.entries(labels).every(([key, value]) => line.includes(`${key}="${value}"`)),
    )
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

const isHttpWorker = ({ args }: Child) => args.endsWith('apps/api/src/main.js');
const isProjector = ({ args }: Child) => args.endsWith('apps/projector/src/main.js');

/**
 * API_WORKERS=2: two HTTP workers (node:cluster) on one port, one projector, one embedded
 * PostgreSQL, all under the first process. A worker killed with `kill -9` while appends run
 * loses no acknowledged append, and a client that retries what failed with its Idempotency-Key
 * records each fact once; the cluster starts another worker and keeps answering.
 */
describe('the service on several processes (API_WORKERS=2)', () => {
  let ledger: LedgerService;

  beforeAll(async () => {
    await ensureBuilt();
    ledger = await LedgerService.create({ API_WORKERS: '2' });
    await ledger.start();
    // /health answers once one worker listens; the address file is written once all do.
    await addressFileWritten(ledger.service!, ledger.dataDir);
    started.push(...(await childrenOf(ledger.service!.pid)).map(({ pid }) => pid));
  }, 150_000);

  /** Children of the services the cases started: none may outlive the run. */
  const started: number[] = [];
  afterAll(async () => {
    await ledger?.destroy();
    for (const pid of started) if (isProcessAlive(pid)) process.kill(pid, 'SIGKILL');
  });

  /** The workers, once there are `count` of them (a killed one is replaced). */
  async function workers(count: number): Promise<Child[]> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const found = (await childrenOf(ledger.service!.pid)).filter(isHttpWorker);
      if (found.length === count) return found;
      if (Date.now() > deadline)
        throw new Error(`${found.length} workers, not ${count}:\n${ledger.service!.output}`);
      await new Promise((done) => setTimeout(done, 200));
    }
  }

  async function outputMatching(pattern: RegExp): Promise<RegExpMatchArray> {
    const deadline = Date.now() + 90_000;
    for (;;) {
      const match = pattern.exec(ledger.service!.output);
      if (match) return match;
      if (Date.now() > deadline) throw new Error(`No ${pattern}:\n${ledger.service!.output}`);
      await new Promise((done) => setTimeout(done, 200));
    }
  }

  it(
    'runs two HTTP workers and one projector under one process, which records the address',
    async () => {
      const children = await childrenOf(ledger.service!.pid);

      expect(children.filter(isHttpWorker)).toHaveLength(2);
      expect(children.filter(isProjector)).toHaveLength(1);
      const address = JSON.parse(await readFile(join(ledger.dataDir, 'service.json'), 'utf8'));
      expect(address).toMatchObject({ url: ledger.url, pid: ledger.service!.pid });
      // The workers leave the projections to the projector: each reports them stopped.
      const health = await ledger.request('GET', '/health', 'viewer');
      expect(health.status).toBe(200);
      const states = (
        health.body.info as { projections: { projections: { state: string }[] } }
      ).projections.projections.map(({ state }) => state);
      expect(new Set(states)).toEqual(new Set(['stopped']));
    },
    CASE_TIMEOUT,
  );

  it(
    "answers /metrics from any worker for the whole service: every worker's and the projector's",
    async () => {
      // A fact first, so that the log's head is not 0 (which summing would give too).
      const unit = await ledger.request('POST', '/units', 'manager', {
        unitId: `AM${randomUUID().slice(0, 8)}`,
        name: 'Metrics province',
        level: 'province',
        effectiveDate: '2024-01-01',
      });
      expect(unit.status).toBe(201);
      const token = await ledger.token('viewer');
      const REQUESTS = 12;
      for (let request = 0; request < REQUESTS; request++) {
        expect((await getOnNewConnection(`${ledger.url}/schemes`, token)).status).toBe(200);
      }
      /** A scrape holding all three processes (one may be slow to answer on a loaded machine). */
      const wholeScrape = async () => {
        for (let attempt = 0; ; attempt++) {
          const { status, body } = await getOnNewConnection(`${ledger.url}/metrics`);
          expect(status).toBe(200);
          if (sampleSum(body, 'ledger_cluster_processes', { answered: 'true' }) === 3) return body;
          if (attempt === 10) throw new Error(`No scrape held all three processes:\n${body}`);
        }
      };
      const head = Number(
        (await ledger.query<{ head: string }>('SELECT max(global_position) AS head FROM events'))[0]
          .head,
      );
      expect(head).toBeGreaterThan(0);
      const schemes = { route: '/schemes', status: '200' };
      for (let scrape = 0; scrape < 4; scrape++) {
        const body = await wholeScrape();
        // Each worker counted the requests it served, on series of its own.
        expect(sampleSum(body, 'ledger_http_request_duration_seconds_count', schemes)).toBe(
          REQUESTS,
        );
        expect(body).toMatch(/^ledger_http_request_duration_seconds_count\{.*process="worker-1"/m);
        expect(body).toMatch(/^ledger_http_request_duration_seconds_count\{.*process="worker-2"/m);
        // The database's figures are read once, not summed over the processes.
        expect(sampleSum(body, 'ledger_event_store_head_position')).toBe(head);
      }
      // Only the projector applies events: its batches are in the scrape too.
      let batches = 0;
      let body = '';
      for (const deadline = Date.now() + 30_000; batches === 0 && Date.now() < deadline;) {
        body = await wholeScrape();
        batches = sampleSum(body, 'ledger_projection_events_total', {
          work: 'live',
          process: 'projector',
        });
        if (batches === 0) await new Promise((done) => setTimeout(done, 200));
      }
      expect(batches).toBeGreaterThan(0);
      // Each process says the state it holds a projection in: the workers none, the projector its own.
      const participation = { projection: 'participation' };
      expect(sampleSum(body, 'ledger_projection_running', participation)).toBe(3);
      expect(
        sampleSum(body, 'ledger_projection_running', { ...participation, state: 'stopped' }),
      ).toBe(2);
    },
    CASE_TIMEOUT,
  );

  it(
    'loses and doubles nothing when a worker is killed mid-load, and keeps answering',
    async () => {
      const unitId = `AW${randomUUID().slice(0, 8)}`;
      const series = `AW-${randomUUID().slice(0, 8)}`;
      const unit = await ledger.request('POST', '/units', 'manager', {
        unitId,
        name: 'Cluster province',
        level: 'province',
        effectiveDate: '2024-01-01',
      });
      expect(unit.status).toBe(201);
      const [victim] = await workers(2);
      const token = await ledger.token('manager');

      let next = 0;
      let answered = 0;
      let retries = 0;
      let killed: Promise<void> | undefined;
      const positions: number[] = [];
      /** One enrollment, sent again with the same key until it is answered. */
      async function enroll(index: number): Promise<void> {
        for (let attempt = 0; ; attempt++) {
          const answer = await fetch(`${ledger.url}/participants/${series}-${index}/enrollments`, {
            method: 'POST',
            headers: {
              Authorization: `Bearer ${token}`,
              'Content-Type': 'application/json',
              'Idempotency-Key': `${series}-${index}`,
            },
            body: JSON.stringify({
              scheme: 'voluntary-social-insurance',
              unitId,
              enrolledOn: '2025-09-05',
              paidUntil: '2025-09-30',
            }),
            // A request the dead worker held is never answered: the client gives up on it.
            signal: AbortSignal.timeout(15_000),
          }).then(
            async (response) => ({ status: response.status, body: await response.json() }),
            (error: Error) => ({ status: 0, body: { message: String(error.cause ?? error) } }),
          );
          if (answer.status === 201) {
            positions.push((answer.body as { position: number }).position);
            return;
          }
          // The connection died with the worker: a client retries, with the same key.
          if (answer.status !== 0 || attempt === 20) {
            throw new Error(`Enrollment ${index}: ${answer.status} ${JSON.stringify(answer.body)}`);
          }
          retries++;
          await new Promise((done) => setTimeout(done, 100));
        }
      }
      await Promise.all(
        Array.from({ length: CLIENTS }, async () => {
          while (next < APPENDS) {
            await enroll(next++);
            if (++answered === KILL_AFTER) {
              process.kill(victim.pid, 'SIGKILL');
              killed = (async () => {
                while (isProcessAlive(victim.pid)) await new Promise((d) => setTimeout(d, 20));
              })();
            }
          }
        }),
      );
      await killed;

      expect(answered).toBe(APPENDS);
      // Each participant's stream holds exactly one enrollment: none lost, none doubled.
      const streams = await ledger.query<{ stream_id: string; events: number }>(
        `SELECT stream_id, count(*)::int AS events FROM events WHERE stream_id LIKE $1 GROUP BY 1`,
        [`participant-${series}-%`],
      );
      expect(streams).toHaveLength(APPENDS);
      expect(streams.filter(({ events }) => events !== 1)).toEqual([]);
      // The read model counts each once, as the projector folded them.
      const attainment = await ledger.request(
        'GET',
        `/units/${unitId}/attainment?scheme=voluntary-social-insurance&date=2025-09-30` +
          `&waitForPosition=${Math.max(...positions)}`,
        'viewer',
      );
      expect(attainment.status).toBe(200);
      expect(
        (attainment.body.data as { schemes: { participants: number }[] }).schemes[0].participants,
      ).toBe(APPENDS);
      // Another worker took the killed one's place, and listens.
      expect(ledger.service!.output).toMatch(/HTTP worker \d \(pid \d+\) was killed by SIGKILL/);
      const replacement = await outputMatching(/HTTP worker \d \(pid (\d+)\) is running/);
      const after = await workers(2);
      expect(after.map(({ pid }) => pid)).not.toContain(victim.pid);
      expect(after.map(({ pid }) => pid)).toContain(Number(replacement[1]));
      expect((await ledger.request('GET', '/schemes', 'viewer')).status).toBe(200);
      process.stdout.write(`api-workers: ${retries} requests retried after the kill\n`);
    },
    CASE_TIMEOUT,
  );

  it(
    'stops every process on SIGTERM, workers first and PostgreSQL last, with exit code 0',
    async () => {
      const children = await childrenOf(ledger.service!.pid);
      const postgres = await ledger.postgresPid();

      ledger.service!.signal('SIGTERM');

      expect(await ledger.service!.waitForExit()).toEqual({ code: 0, signal: null });
      for (const { pid } of children) expect(isProcessAlive(pid)).toBe(false);
      expect(isProcessAlive(postgres)).toBe(false);
      expect(existsSync(join(ledger.dataDir, 'service.json'))).toBe(false);
      // Each worker had stopped before the projector was told to.
      const lines = ledger.service!.output.split('\n');
      const lineOf = (pid: number, text: string) =>
        lines.findIndex((line) => line.includes(`[Nest] ${pid} `) && line.includes(text));
      const projector = children.find(isProjector)!;
      const projectorTold = lineOf(projector.pid, 'SIGTERM received');
      expect(projectorTold).toBeGreaterThan(0);
      for (const worker of children.filter(isHttpWorker)) {
        const stopped = lineOf(worker.pid, 'Stopped');
        expect(stopped).toBeGreaterThan(0);
        expect(stopped).toBeLessThan(projectorTold);
      }
    },
    CASE_TIMEOUT,
  );
  it(
    'stops in the same order on Ctrl-C to the whole process group, and starts again on its data',
    async () => {
      // As a terminal runs it: a process group of its own, which Ctrl-C signals whole.
      const service = ServiceProcess.start(
        API_MAIN,
        {
          DATA_DIR: ledger.dataDir,
          PORT: String(ledger.port),
          HOST: '127.0.0.1',
          EMBEDDED_POSTGRES_PORT: String(ledger.postgresPort),
          JWT_SECRET: 'fault-test-secret-that-is-at-least-32-characters',
          API_WORKERS: '2',
        },
        { ownProcessGroup: true },
      );
      try {
        await service.waitUntilAnswering(`${ledger.url}/health`, 90_000);
        await addressFileWritten(service, ledger.dataDir);
        const children = await childrenOf(service.pid);
        started.push(...children.map(({ pid }) => pid));
        expect(children.filter(isHttpWorker)).toHaveLength(2);

        service.signalGroup('SIGINT');

        expect(await service.waitForExit()).toEqual({ code: 0, signal: null });
        for (const { pid } of children) expect(isProcessAlive(pid)).toBe(false);
        // The workers and the projector leave Ctrl-C to the first process and stop when it
        // says: none sees a second signal and exits at once.
        expect(service.output).not.toContain('exiting at once');
        const lines = service.output.split('\n');
        const lineOf = (pid: number, text: string) =>
          lines.findIndex((line) => line.includes(`[Nest] ${pid} `) && line.includes(text));
        const projectorTold = lineOf(children.find(isProjector)!.pid, 'SIGTERM received');
        for (const worker of children.filter(isHttpWorker)) {
          expect(lineOf(worker.pid, 'Stopped')).toBeGreaterThan(0);
          expect(lineOf(worker.pid, 'Stopped')).toBeLessThan(projectorTold);
        }
        expect(existsSync(join(ledger.dataDir, 'service.json'))).toBe(false);
      } finally {
        // A failed case leaves nothing running: the group (workers, projector, PostgreSQL);
        // afterAll stops a PostgreSQL left behind and removes the data.
        killGroup(service.pid);
      }
    },
    CASE_TIMEOUT,
  );
});
