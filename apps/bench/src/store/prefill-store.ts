import { projections } from '#projections';
import pg from 'pg';
import { ADVISORY_LOCKS } from '#database';
import { GENESIS_HASH } from '#event-store';
import { copyChainedEvents, copyStreams } from './copy-events.js';
import { generatedEvents, generatedStreams } from './generated-events.js';

const SERIES_AT_LEAST = 1_000;

/**
 * Fills the event store up to `total` events with COPY, far faster than appending, while
 * keeping what appends guarantee: unique event ids, contiguous revisions per stream, and an
 * `event_streams` row at each stream's last revision, committed together. The projections'
 * checkpoints move to the new head, as if they had followed the log, so a service started
 * afterwards does not spend the measurement catching up; a rebuild replays everything.
 */
export async function prefillStore(
  url: string,
  total: number,
): Promise<{ added: number; head: number; series: string }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>('SELECT count(*) AS n FROM events');
    // Always a whole series at least, so the dashboard queries have units, plans and people.
    const added = Math.max(SERIES_AT_LEAST, total - Number(rows[0].n));
    const series = `F${Date.now().toString(36)}`;
    await client.query('BEGIN');
    // Under the append lock, from the head, as an append would: the chain stays unbroken.
    await client.query('SELECT pg_advisory_xact_lock($1, $2)', [...ADVISORY_LOCKS.append]);
    const appends = appendSizes(added);
    // A millisecond per append, ending now, after the log's last record time.
    const { rows: last } = await client.query<{ hash: string | null; recorded_at: Date }>(
      `SELECT encode(last.hash, 'hex') AS hash,
              greatest(date_trunc('milliseconds', clock_timestamp()) - $1 * interval '1 ms',
                       last.recorded_at + interval '1 ms') AS recorded_at
       FROM (SELECT 1) AS one
       LEFT JOIN (SELECT hash, recorded_at FROM events ORDER BY global_position DESC LIMIT 1)
         AS last ON true`,
      [appends.length],
    );
    await copyChainedEvents(client, generatedEvents(series, added), {
      hash: last[0].hash ?? GENESIS_HASH,
      recordedAt: last[0].recorded_at,
      appends,
    });
    await copyStreams(client, generatedStreams(series, added));
    await client.query('COMMIT');
    const head = await moveCheckpointsToHead(client);
    // A store that big would have been vacuumed and analysed by now.
    await client.query('VACUUM (ANALYZE) events, event_streams');
    return { added, head, series };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}

/**
 * The sizes of the appends that recorded `total` events, as a service's log records them: most
 * a single command's few events, some a report of dozens, a few an import of a thousand or two.
 * Deterministic (a fixed seed), so runs compare. Reads as known at a time can then land inside a
 * projection's batch, not only on its boundary (docs/benchmarks.md).
 */
export function appendSizes(total: number): number[] {
  let seed = 0x2f6b3a1d;
  const random = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const sizes: number[] = [];
  for (let left = total; left > 0;) {
    const kind = random();
    const size =
      kind < 0.7
        ? 1 + Math.floor(random() * 5)
        : kind < 0.95
          ? 6 + Math.floor(random() * 95)
          : 200 + Math.floor(random() * 1_800);
    sizes.push(Math.min(size, left));
    left -= size;
  }
  return sizes;
}

async function moveCheckpointsToHead(client: pg.Client): Promise<number> {
  const { rows } = await client.query<{ head: string }>(
    'SELECT coalesce(max(global_position), 0) AS head FROM events',
  );
  const head = Number(rows[0].head);
  await client.query(
    `INSERT INTO projection_checkpoints (projection, position) SELECT unnest($1::text[]), $2
     ON CONFLICT (projection) DO UPDATE SET position = excluded.position, updated_at = now()`,
    [projections.map((projection) => projection.name), head],
  );
  return head;
}
