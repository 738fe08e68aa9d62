import { type EventStore, PostgresEventStore } from '#event-store';
import { type EntityManager } from 'typeorm';

/**
 * How many events the log holds after `position`, up to `head`. Positions may skip: one drawn
 * by an append that rolled back, or that a crash cut short, is never used, so head − position
 * overstates how far behind a reader is (a log at head 50,072 held 50,056 events). On the
 * PostgreSQL store the events are counted, an index range that is empty once caught up; other
 * stores answer the distance in their own positions (KurrentDB: bytes of `$all`).
 */
export async function eventsAfter(
  database: Pick<EntityManager, 'query'>,
  store: EventStore,
  position: number,
  head: number,
): Promise<number> {
  if (head <= position) return 0;
  if (!(store instanceof PostgresEventStore)) return head - position;
  const [{ count }]: { count: string }[] = await database.query(
    'SELECT count(*) AS count FROM events WHERE global_position > $1 AND global_position <= $2',
    [position, head],
  );
  return Number(count);
}

/**
 * What `eventsAfter` answers, as the count to run (its positions written into the SQL, so it can
 * share a round trip with other statements) or as the answer when no count is needed.
 */
export function countOfEventsAfter(
  store: EventStore,
  position: number,
  head: number,
): { sql: string } | { events: number } {
  if (head <= position) return { events: 0 };
  if (!(store instanceof PostgresEventStore)) return { events: head - position };
  if (!Number.isSafeInteger(position) || !Number.isSafeInteger(head))
    throw new Error(`Log positions must be integers: ${position}, ${head}`);
  return {
    sql: `SELECT count(*) AS count FROM events WHERE global_position > ${position} AND global_position <= ${head}`,
  };
}
