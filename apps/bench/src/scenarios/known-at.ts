import { type ApiService, sleep } from '../api-service.js';
import { type Bench, HTTP_UNIT_ID } from '../bench.js';
import { type Scenario } from '../scenario.js';
import { latencyOf } from '../statistics.js';
import { ensureReadModelsRebuilt } from './rebuild.js';

const READS = 30;

/**
 * Reads as known at a time (docs/auditing.md) over the filled store, its read models built by a
 * rebuild (this run's, or one made here) so their row history holds every pre-filled event. The
 * pre-fill records its events in appends of varied sizes a millisecond apart, so a time can land
 * on a boundary of the projections' batches (the rebuild's pages) or inside one. Measured: the
 * first read at a new time on a boundary (the head), inside a batch halfway through the log, and
 * on a boundary halfway through (when a page ends where an append does); later reads at the
 * first two times, beside live reads, once the parts read are copied into tables (how long
 * that took after the first reads is reported); and the first read at a point one fact later.
 */
export const knownAtReads: Scenario = {
  id: 'known-at',
  figures: [
    'known-at-first',
    'known-at-first-inside',
    'known-at-read',
    'known-at-read-inside',
    'known-at-live-read',
  ],
  async run(bench) {
    const shape = await bench.filledStore();
    await ensureReadModelsRebuilt(bench);
    const service = await bench.service();
    await bench.settled();
    const province = encodeURIComponent(shape.provinceId);
    const path = `/units/${province}/attainment?date=2025-09-30&scheme=${shape.scheme}`;
    const events = await bench.head();
    // Past times only after the province is recorded: the log may hold other scenarios' appends
    // before the pre-fill, and a read from then rightly finds no such unit.
    const { rows: registered } = await bench.pool.query<{ position: string }>(
      'SELECT min(global_position) AS position FROM events WHERE stream_id = $1',
      [`unit-${shape.provinceId}`],
    );
    const { inside, boundary } = await pastTimes(bench, events, Number(registered[0]!.position));
    const atHead = new Date().toISOString();

    const firstMs = await timeToFirstAnswer(service, `${path}&knownAt=${atHead}`);
    const insideMs = await timeToFirstAnswer(service, `${path}&knownAt=${inside.time}`);
    // The organizations' ranking at the same time: the parts of the projections it reads
    // beyond the attainment's (collection performance, the largest read model), made now.
    const rankingInsideMs = await timeToFirstAnswer(
      service,
      `/performance/organizations?month=2025-09&scheme=${shape.scheme}&knownAt=${inside.time}`,
    );
    const boundaryMs = boundary
      ? await timeToFirstAnswer(service, `${path}&knownAt=${boundary.time}`)
      : undefined;

    // Each part read is copied into indexed tables in the background (docs/auditing.md):
    // later reads are timed once that is done, and how long it took is reported.
    const copied = performance.now();
    await partsCopied(bench);
    const copiedMs = performance.now() - copied;

    const knownAt: number[] = [];
    const knownAtInside: number[] = [];
    const live: number[] = [];
    for (let read = 0; read < READS; read++) {
      knownAt.push(await timed(service, `${path}&knownAt=${atHead}`));
      knownAtInside.push(await timed(service, `${path}&knownAt=${inside.time}`));
      live.push(await timed(service, path));
    }

    await service.post('/units', {
      unitId: `${HTTP_UNIT_ID}-KA`,
      name: 'Known-at probe',
      level: 'commune',
      parentId: HTTP_UNIT_ID,
      effectiveDate: '2024-01-01',
    });
    await bench.settled();
    const later = await timeToFirstAnswer(service, `${path}&knownAt=${new Date().toISOString()}`);

    const reads = latencyOf(knownAt);
    const insideReads = latencyOf(knownAtInside);
    const liveReads = latencyOf(live);
    return {
      'known-at-first': {
        value: firstMs,
        details: {
          events,
          laterPointMs: Math.round(later),
          ...(boundary && boundaryMs !== undefined
            ? { pastBoundaryPosition: boundary.position, pastBoundaryMs: Math.round(boundaryMs) }
            : { pastBoundary: 'no page of the rebuild ended where an append did' }),
        },
      },
      'known-at-first-inside': {
        value: insideMs,
        details: {
          position: inside.position,
          batchAfter: inside.after,
          batchLast: inside.last,
          organizationsRankingFirstMs: Math.round(rankingInsideMs),
        },
      },
      'known-at-read': {
        value: reads.p99,
        p50: reads.p50,
        p99: reads.p99,
        details: { reads: READS, partsCopiedIntoTablesAfterMs: Math.round(copiedMs) },
      },
      'known-at-read-inside': {
        value: insideReads.p99,
        p50: insideReads.p50,
        p99: insideReads.p99,
        details: { reads: READS },
      },
      'known-at-live-read': { value: liveReads.p99, p50: liveReads.p50, p99: liveReads.p99 },
    };
  },
};

/** A copy into tables that has not finished by then has failed: a bench must end. */
const COPY_LIMIT_MS = 10 * 60_000;

/** Waits until every part of a snapshot made so far is in indexed tables, not views. */
async function partsCopied(bench: Bench): Promise<void> {
  const started = performance.now();
  for (;;) {
    const { rows } = await bench.pool.query<{ views: number }>(
      'SELECT count(*)::int AS views FROM known_at_parts WHERE materialized_at IS NULL',
    );
    if (rows[0]!.views === 0) return;
    if (performance.now() - started > COPY_LIMIT_MS)
      throw new Error(`${rows[0]!.views} known-at parts were not copied into tables in time`);
    await sleep(100);
  }
}

type PastTime = { time: string; position: number; after: number; last: number };

/**
 * Times halfway through the log: one whose position falls inside a batch of the projections
 * (its last event's time, with later events of the batch recorded after it), and one on a
 * batch's end, when some batch ends where an append does.
 */
async function pastTimes(
  bench: Bench,
  head: number,
  from: number,
): Promise<{ inside: PastTime; boundary?: PastTime }> {
  const { rows: batches } = await bench.pool.query<{ after: string; last: string }>(
    `SELECT after, last FROM (SELECT DISTINCT after, last FROM projection_batches) b
      WHERE last - after > 2 AND after >= $2 ORDER BY abs(last - $1::bigint / 2) LIMIT 200`,
    [head, from],
  );
  let inside: PastTime | undefined;
  let boundary: PastTime | undefined;
  for (const batch of batches) {
    const after = Number(batch.after);
    const last = Number(batch.last);
    if (!inside) {
      // The end of the append that holds the batch's middle event, if it ends before the batch.
      const { rows } = await bench.pool.query<{ time: Date; position: string }>(
        `SELECT e.recorded_at AS time, max(e.global_position) AS position FROM events e
          WHERE e.recorded_at = (SELECT recorded_at FROM events WHERE global_position = $1)
          GROUP BY e.recorded_at`,
        [Math.floor((after + last) / 2)],
      );
      if (rows[0] && Number(rows[0].position) < last) {
        inside = {
          time: rows[0].time.toISOString(),
          position: Number(rows[0].position),
          after,
          last,
        };
      }
    }
    if (!boundary) {
      const { rows } = await bench.pool.query<{ time: Date; next: Date | null }>(
        `SELECT e.recorded_at AS time,
                (SELECT recorded_at FROM events WHERE global_position > $1
                  ORDER BY global_position LIMIT 1) AS next
           FROM events e WHERE e.global_position = $1`,
        [last],
      );
      if (rows[0] && rows[0].next && rows[0].next > rows[0].time) {
        boundary = { time: rows[0].time.toISOString(), position: last, after, last };
      }
    }
    if (inside && boundary) break;
  }
  if (!inside) {
    throw new Error(
      'No batch of the projections spans several record times: the read models were not built over the pre-fill',
    );
  }
  return { inside, boundary };
}

async function timed(service: ApiService, path: string): Promise<number> {
  const started = performance.now();
  await answer(service, path, [200]);
  return performance.now() - started;
}

/** A first read that has not answered by then has failed: a bench must end. */
const FIRST_READ_LIMIT_MS = 30 * 60_000;

/** Milliseconds until the read answers 200, polling while its snapshot is made. */
async function timeToFirstAnswer(service: ApiService, path: string): Promise<number> {
  const started = performance.now();
  for (;;) {
    if ((await answer(service, path, [200, 503])) === 200) return performance.now() - started;
    if (performance.now() - started > FIRST_READ_LIMIT_MS)
      throw new Error(`GET ${path} answered 503 for ${FIRST_READ_LIMIT_MS / 60_000} minutes`);
    await sleep(100);
  }
}

async function answer(service: ApiService, path: string, expected: number[]): Promise<number> {
  const response = await fetch(new URL(path, service.url), {
    headers: { Authorization: `Bearer ${service.token}` },
  });
  const body = await response.text();
  if (!expected.includes(response.status))
    throw new Error(`GET ${path} answered ${response.status}: ${body}`);
  return response.status;
}
