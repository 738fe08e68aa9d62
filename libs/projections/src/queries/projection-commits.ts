import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { ownSession } from '#database';
import type pg from 'pg';
import { Observable, Subject, share } from 'rxjs';
import { DataSource } from 'typeorm';
import { PROJECTION_BATCH_CHANNEL } from '../runner/projection-runner.js';

/** A projection committed a batch up to `position`; `resync` once the listener (re)connected. */
export type ProjectionCommit = { projection: string; position: number } | { resync: true };

const RECONNECT_MS = [100, 500, 1_000, 5_000];

/**
 * Hears every projection batch commit, from any process, through PostgreSQL LISTEN: one
 * notification per batch, never per append. Listens on its own connection only while
 * someone subscribes. Once it listens, at start and after reconnecting a broken connection,
 * it tells subscribers to re-read, since notifications sent before then are lost.
 */
@Injectable()
export class ProjectionCommits implements OnApplicationShutdown {
  private readonly logger = new Logger('ProjectionCommits');
  private readonly commits = new Subject<ProjectionCommit>();
  private client?: pg.Client;
  private stopped = false;
  private listening?: Promise<void>;

  readonly changes: Observable<ProjectionCommit>;

  constructor(private readonly dataSource: DataSource) {
    this.changes = new Observable<ProjectionCommit>((subscriber) => {
      this.listening ??= this.listen(0);
      const subscription = this.commits.subscribe(subscriber);
      return () => subscription.unsubscribe();
    }).pipe(share());
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await this.client?.end().catch(() => undefined);
  }

  private async listen(attempt: number): Promise<void> {
    if (this.stopped) return;
    const client = ownSession(this.dataSource, 'feeds');
    client.on('notification', ({ payload }) => {
      // A notification can come in the same read as LISTEN's answer, so before the resync
      // below: the resync's re-read covers it, and passing it on first would put it out of order.
      if (this.client !== client) return;
      try {
        const { projection, position } = JSON.parse(payload ?? '{}');
        this.commits.next({ projection, position: Number(position) });
      } catch {
        this.logger.warn(`Ignored a malformed notification: ${payload}`);
      }
    });
    client.on('error', (error) => this.logger.warn(`Listener connection failed: ${error.message}`));
    client.on('end', () => {
      if (this.stopped || this.client !== client) return;
      this.client = undefined;
      setTimeout(() => void this.listen(1), RECONNECT_MS[0]);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${PROJECTION_BATCH_CHANNEL}`);
      // Shut down while connecting: nothing else would end this connection.
      if (this.stopped) {
        await client.end().catch(() => undefined);
        return;
      }
      this.client = client;
      // Notifications sent before LISTEN took effect, at start as after a break, were lost:
      // whoever read before now reads again.
      this.commits.next({ resync: true });
    } catch (error) {
      await client.end().catch(() => undefined);
      if (this.stopped) return;
      const delay = RECONNECT_MS[Math.min(attempt, RECONNECT_MS.length - 1)];
      this.logger.warn(
        `Cannot listen for projection commits (${(error as Error).message}); retrying in ${delay} ms`,
      );
      setTimeout(() => void this.listen(attempt + 1), delay);
    }
  }
}
