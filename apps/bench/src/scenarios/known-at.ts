import { type ApiService, sleep } from '../api-service.js';
import { HTTP_UNIT_ID } from '../bench.js';
import { type Scenario } from '../scenario.js';
import { latencyOf } from '../statistics.js';

const READS = 30;

/**
 * Reads as known at a time (docs/auditing.md) over the filled store: the first read at a new
 * point of the log (its snapshot schema made from the read models' row history, polling while
 * the service answers 503 `known_at_building`); later reads at that point, beside live reads;
 * and the first read at a point one fact later.
 */
export const knownAtReads: Scenario = {
  id: 'known-at',
  figures: ['known-at-first', 'known-at-read', 'known-at-live-read'],
  async run(bench) {
    const shape = await bench.filledStore();
    const service = await bench.service();
    await bench.settled();
    const province = encodeURIComponent(shape.provinceId);
    const path = `/units/${province}/attainment?date=2025-09-30&scheme=${shape.scheme}`;
    const first = new Date().toISOString();
    const events = await bench.head();
    const firstMs = await timeToFirstAnswer(service, `${path}&knownAt=${first}`);

    const knownAt: number[] = [];
    const live: number[] = [];
    for (let read = 0; read < READS; read++) {
      knownAt.push(await timed(service, `${path}&knownAt=${first}`));
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
    const liveReads = latencyOf(live);
    return {
      'known-at-first': {
        value: firstMs,
        details: { events, laterPointMs: Math.round(later) },
      },
      'known-at-read': {
        value: reads.p99,
        p50: reads.p50,
        p99: reads.p99,
        details: { reads: READS },
      },
      'known-at-live-read': { value: liveReads.p99, p50: liveReads.p50, p99: liveReads.p99 },
    };
  },
};

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
