import autocannon from 'autocannon';
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ApiService } from '../api-service.js';
import { type Bench, HTTP_UNIT_ID } from '../bench.js';
import { count, type Measured } from '../figures.js';
import { type Scenario } from '../scenario.js';
import { insertSingle } from './baselines.js';
import { latencyOf, now, rate } from '../statistics.js';

const CLI_MAIN = fileURLToPath(new URL('../../../cli/src/main.js', import.meta.url));

/** An enrollment as the service takes it; each participant is new, so its stream is too. */
const enrollment = {
  scheme: 'voluntary-social-insurance',
  unitId: HTTP_UNIT_ID,
  enrolledOn: '2025-09-05',
  paidUntil: '2025-09-30',
};

export type Load = { connections: number; durationSeconds: number; overallRate?: number };

/**
 * `POST /participants/:id/enrollments` for distinct new participants from `connections`
 * concurrent clients: one command, one event, one new stream per request.
 */
export async function enrollmentLoad(
  service: ApiService,
  series: string,
  load: Load,
): Promise<autocannon.Result> {
  let next = 0;
  let firstRefusal: string | undefined;
  const result = await autocannon({
    url: service.url,
    connections: load.connections,
    duration: load.durationSeconds,
    overallRate: load.overallRate,
    headers: { authorization: `Bearer ${service.token}`, 'content-type': 'application/json' },
    requests: [
      {
        method: 'POST',
        setupRequest: (request) => ({
          ...request,
          path: `/participants/${series}-${next++}/enrollments`,
          body: JSON.stringify(enrollment),
        }),
        onResponse: (status, body) => {
          if (status >= 300) firstRefusal ??= `${status} ${body.slice(0, 300)}`;
        },
      },
    ],
  });
  if (result['2xx'] === 0) {
    throw new Error(
      `No enrollment was recorded: ${firstRefusal ?? `${result.errors} connection errors`}`,
    );
  }
  return result;
}

let warmUps = 0;

/** Unmeasured enrollments, so that a fresh service has compiled its hot paths and filled its pools. */
export async function warmUp(bench: Bench, service: ApiService): Promise<void> {
  await enrollmentLoad(service, `W${warmUps++}`, {
    connections: bench.options.connections,
    durationSeconds: bench.options.warmupSeconds,
  });
}

function appendFigure(result: autocannon.Result): Measured {
  return {
    value: result['2xx'] / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    details: {
      recorded: result['2xx'],
      refused: result.non2xx,
      connectionErrors: result.errors,
      timeouts: result.timeouts,
      connections: result.connections,
      seconds: result.duration,
    },
  };
}

/**
 * The service's CPU time between two readings, per unit of work: steadier than a rate on a
 * shared machine. With the projections in the service, theirs counts too, as far as they got.
 */
function cpuPer(before: number | undefined, after: number | undefined, units: number) {
  if (before === undefined || after === undefined || units === 0) return null;
  return Number(((after - before) / units).toFixed(2));
}

/** The enrollment load for the run's duration, with the service's CPU time per append. */
async function measuredEnrollments(
  bench: Bench,
  service: ApiService,
  series: string,
): Promise<Measured> {
  const cpuBefore = await service.cpuMs();
  const result = await enrollmentLoad(service, series, {
    connections: bench.options.connections,
    durationSeconds: bench.options.durationSeconds,
  });
  const cpuAfter = await service.cpuMs();
  const measured = await withServiceFacts(bench, service, appendFigure(result), series);
  const cpuMsPerAppend = cpuPer(cpuBefore, cpuAfter, result['2xx']);
  return { ...measured, details: { ...measured.details, serviceCpuMsPerAppend: cpuMsPerAppend } };
}

async function withServiceFacts(
  bench: Bench,
  service: ApiService,
  measured: Measured,
  series: string,
): Promise<Measured> {
  const { rows } = await bench.pool.query<{ bytes: string }>(
    `SELECT avg(octet_length(data::text) + octet_length(metadata::text)) AS bytes
     FROM (SELECT data, metadata FROM events WHERE stream_id LIKE $1 ORDER BY global_position DESC LIMIT 10000) sample`,
    [`participant-${series}-%`],
  );
  return {
    ...measured,
    details: {
      ...measured.details,
      payloadBytes: Math.round(Number(rows[0].bytes)),
      storedEventsAfter: await bench.storedEvents(),
      servicePeakRssMiB: Math.round((await service.peakRssMiB()) ?? Number.NaN),
    },
  };
}

export const singleAppend: Scenario = {
  id: 'append-single',
  figures: ['append-single'],
  async run(bench) {
    const service = await bench.service();
    await warmUp(bench, service);
    const series = 'S1';
    return {
      'append-single': await measuredEnrollments(bench, service, series),
    };
  },
};

/** HTTP workers of the multi-process figure (API_WORKERS): one per core of this machine's two. */
export const BENCH_API_WORKERS = 2;

/**
 * Single-event appends over HTTP against the raw 8-connection INSERT rate, measured in this
 * scenario one after the other: the raw INSERTs, the service as one process (projections in
 * it, as `npm start` runs it), then the service with API_WORKERS=2 (two HTTP workers and a
 * projector process). One scenario so that `--only http-appends` compares like with like.
 */
export const httpAppends: Scenario = {
  id: 'http-appends',
  figures: ['http-insert-single', 'http-append-1', 'http-append-workers'],
  async run(bench) {
    // The shared service inherits the bench's environment: with API_WORKERS set there, the
    // "one process" figure would measure a cluster.
    const workers = process.env.API_WORKERS?.trim();
    if (workers && workers !== '1')
      throw new Error(`API_WORKERS=${workers} is set: http-appends sets it itself; unset it`);
    const baseline = await insertSingle(bench);
    const single = await bench.service();
    await warmUp(bench, single);
    const oneProcess = await measuredEnrollments(bench, single, 'H1');
    await bench.stopService();
    bench.log(`Starting the service with API_WORKERS=${BENCH_API_WORKERS}`);
    const cluster = await ApiService.start({
      databaseUrl: bench.database.url,
      jwtSecret: bench.jwtSecret,
      env: { API_WORKERS: String(BENCH_API_WORKERS) },
    });
    try {
      await warmUp(bench, cluster);
      const several = await measuredEnrollments(bench, cluster, 'H2');
      return {
        'http-insert-single': baseline,
        'http-append-1': oneProcess,
        'http-append-workers': {
          ...several,
          details: { ...several.details, apiWorkers: BENCH_API_WORKERS },
        },
      };
    } finally {
      await cluster.stop();
    }
  },
};

/** The same load once the store holds `options.events` events (pre-filled with COPY). */
export const appendToFilledStore: Scenario = {
  id: 'append-filled-store',
  figures: ['append-filled'],
  async run(bench) {
    await bench.filledStore();
    const service = await bench.service();
    await warmUp(bench, service);
    return {
      'append-filled': await measuredEnrollments(bench, service, 'S2'),
    };
  },
};

function enrollmentRows(series: string, from: number, rows: number): string {
  const lines: string[] = [];
  for (let i = from; i < from + rows; i++) {
    lines.push(
      JSON.stringify({
        command: 'EnrollParticipant',
        participantId: `${series}-${i}`,
        ...enrollment,
      }),
    );
  }
  return lines.join('\n');
}

/** `POST /imports` of NDJSON batches of `batchEvents` enrollments, from `batchClients` clients. */
export const batchAppend: Scenario = {
  id: 'append-batch',
  figures: ['append-batch'],
  async run(bench) {
    const service = await bench.service();
    const { batchEvents, batchClients, durationSeconds } = bench.options;
    let next = 0;
    const latencies: number[] = [];
    let recorded = 0;
    const cpuBefore = await service.cpuMs();
    const started = now();
    const deadline = started + durationSeconds * 1000;
    await Promise.all(
      Array.from({ length: batchClients }, async () => {
        // At least one batch each, so that a short run still measures something.
        do {
          const body = enrollmentRows('B', next, batchEvents);
          next += batchEvents;
          const requestStarted = now();
          const response = await fetch(new URL('/imports', service.url), {
            method: 'POST',
            headers: {
              authorization: `Bearer ${service.token}`,
              'content-type': 'application/x-ndjson',
            },
            body,
          });
          const answer = await response.text();
          if (response.status !== 201)
            throw new Error(`A batch was refused: ${response.status} ${answer.slice(0, 300)}`);
          latencies.push(now() - requestStarted);
          recorded += batchEvents;
        } while (now() < deadline);
      }),
    );
    const elapsed = now() - started;
    const cpuMsPerRequest = cpuPer(cpuBefore, await service.cpuMs(), latencies.length);
    const latency = latencyOf(latencies);
    const measured: Measured = {
      value: rate(recorded, elapsed),
      p50: latency.p50,
      p99: latency.p99,
      details: {
        recorded,
        requests: latencies.length,
        eventsPerRequest: batchEvents,
        clients: batchClients,
        seconds: elapsed / 1000,
        serviceCpuMsPerRequest: cpuMsPerRequest,
      },
    };
    return { 'append-batch': await withServiceFacts(bench, service, measured, 'B') };
  },
};

/** `campaign-ledger import <file>.ndjson`: read, check every row, send batches of 1000. */
export const importCli: Scenario = {
  id: 'import-cli',
  figures: ['import-cli'],
  async run(bench) {
    const service = await bench.service();
    const rows = bench.options.importRows;
    const path = join(bench.workDir, `enrollments-${rows}.ndjson`);
    await writeFile(path, `${enrollmentRows('I', 0, rows)}\n`);
    const before = await bench.storedEvents();
    const cpuBefore = await service.cpuMs();
    const started = now();
    await promisify(execFile)(
      process.execPath,
      [
        CLI_MAIN,
        'import',
        path,
        '--url',
        service.url,
        '--token',
        service.token,
        '--batch-size',
        '1000',
      ],
      { maxBuffer: 16 * 1024 * 1024 },
    );
    const elapsed = now() - started;
    const cpuMsPer1000Rows = cpuPer(cpuBefore, await service.cpuMs(), rows / 1000);
    // Each batch also records its idempotency marker: one event more per batch.
    const recorded = (await bench.storedEvents()) - before;
    if (recorded < rows)
      throw new Error(`The import recorded ${recorded} events for ${count(rows)} rows`);
    return {
      'import-cli': {
        value: rate(rows, elapsed),
        details: {
          rows,
          batchSize: 1000,
          seconds: elapsed / 1000,
          serviceCpuMsPer1000Rows: cpuMsPer1000Rows,
        },
      },
    };
  },
};
