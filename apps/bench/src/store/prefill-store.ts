import { projections } from '#projections';
import pg from 'pg';
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
    await client.query('SELECT pg_advisory_xact_lock(7243, 1)');
    const { rows: last } = await client.query<{ hash: string | null; recorded_at: Date }>(
      `SELECT encode(last.hash, 'hex') AS hash,
              greatest(date_trunc('milliseconds', clock_timestamp()), last.recorded_at) AS recorded_at
       FROM (SELECT 1) AS one
       LEFT JOIN (SELECT hash, recorded_at FROM events ORDER BY global_position DESC LIMIT 1)
         AS last ON true`,
    );
    await copyChainedEvents(client, generatedEvents(series, added), {
      hash: last[0].hash ?? GENESIS_HASH,
      recordedAt: last[0].recorded_at,
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
