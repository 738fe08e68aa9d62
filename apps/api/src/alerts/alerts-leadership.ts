import { type BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import type pg from 'pg';
import { DataSource } from 'typeorm';
import { ADVISORY_LOCKS, lockSession } from '#database';

/** The advisory lock's (namespace, key), apart from every other (see ADVISORY_LOCKS). */
const [LOCK_NAMESPACE, LOCK_KEY] = ADVISORY_LOCKS.alertsLeadership;

/**
 * Which process runs the alert watch and the delivery timer: the one holding a session-level
 * advisory lock, on a connection of its own. Every API process (each of API_WORKERS, or several
 * services on one database) asks on each tick; one holds the lock and runs them, the others
 * skip the tick. Unlike a projection's election (`takeLock`), the connection (`lockSession`)
 * stays open while another process leads, and asks again on it. When the holder stops or its
 * connection breaks, PostgreSQL releases the lock and another process takes it on its next tick. This is about cost only: alert events have
 * deterministic ids and deliveries are row-locked, so two runners would still be correct.
 */
@Injectable()
export class AlertsLeadership implements BeforeApplicationShutdown {
  private readonly log = new Logger('AlertsLeadership');
  /** The connection that holds the lock, or asks for it on each tick. */
  private session?: pg.Client;
  private holds = false;
  private asking?: Promise<boolean>;

  constructor(private readonly database: DataSource) {}

  /** Whether this process runs the alert timers now, taking the lock when it is free. */
  leads(): Promise<boolean> {
    if (this.holds) return Promise.resolve(true);
    this.asking ??= this.ask().finally(() => (this.asking = undefined));
    return this.asking;
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.asking?.catch(() => undefined);
    const session = this.session;
    this.session = undefined;
    this.holds = false;
    await session?.end().catch(() => undefined);
  }

  private async ask(): Promise<boolean> {
    const session = this.session ?? (this.session = await this.connect());
    const { rows } = await session.query<{ locked: boolean }>(
      'SELECT pg_try_advisory_lock($1, $2) AS locked',
      [LOCK_NAMESPACE, LOCK_KEY],
    );
    if (rows[0].locked && this.session === session) {
      this.holds = true;
      this.log.log('This process runs the alert watch and deliveries');
    }
    return this.holds;
  }

  private async connect(): Promise<pg.Client> {
    const session = lockSession(this.database, 'alerts');
    // A broken connection has lost the lock: the next tick connects and asks again.
    const lost = () => {
      if (this.session !== session) return;
      this.session = undefined;
      if (this.holds) this.log.warn('Lost the alert timers lock; another process may take them');
      this.holds = false;
      session.end().catch(() => undefined);
    };
    session.on('error', lost);
    session.on('end', lost);
    try {
      await session.connect();
    } catch (error) {
      session.removeAllListeners();
      throw error;
    }
    return session;
  }
}
