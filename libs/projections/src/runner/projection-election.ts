import type pg from 'pg';
import type { DataSource } from 'typeorm';
import { ADVISORY_LOCKS, lockSession } from '#database';

const LOCK_NAMESPACE = ADVISORY_LOCKS.projectionElection;

/**
 * Leader election across processes: a session-level advisory lock per projection, on a
 * connection of its own (`lockSession`), opened for each try and closed when the lock is busy.
 * When that connection breaks, PostgreSQL has released the lock: `onLost` runs, and the loop
 * stops committing until it takes the lock again. Answers the session holding the lock, or
 * undefined when another process holds it.
 */
export async function takeLock(
  dataSource: DataSource,
  projection: string,
  onLost: () => void,
): Promise<pg.Client | undefined> {
  const session = lockSession(dataSource, projection);
  session.on('error', onLost);
  session.on('end', onLost);
  let locked = false;
  try {
    await session.connect();
    const { rows } = await session.query<{ locked: boolean }>(
      'SELECT pg_try_advisory_lock($1, hashtext($2)) AS locked',
      [LOCK_NAMESPACE, projection],
    );
    locked = rows[0].locked;
    return locked ? session : undefined;
  } finally {
    if (!locked) await session.end().catch(() => undefined);
  }
}

/** Gives the lock up and closes its session; a broken session has lost it already. */
export async function releaseLock(session: pg.Client, projection: string): Promise<void> {
  await session
    .query('SELECT pg_advisory_unlock($1, hashtext($2))', [LOCK_NAMESPACE, projection])
    .catch(() => undefined);
  await session.end().catch(() => undefined);
}
