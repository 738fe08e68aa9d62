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
  const count = countOfEventsAfter(store, position, head);
  if ('events' in count) return count.events;
  const [{ count: events }]: { count: string }[] = await database.query(count.sql);
  return Number(events);
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
  return {
    sql: `SELECT count(*) AS count FROM events
           WHERE global_position > ${positionLiteral(position)} AND global_position <= ${positionLiteral(head)}`,
  };
}

/** A log position written into SQL (a statement that shares a round trip carries no parameters). */
export function positionLiteral(position: number): string {
  if (!Number.isSafeInteger(position)) throw new Error(`Not a log position: ${position}`);
  return String(position);
}
