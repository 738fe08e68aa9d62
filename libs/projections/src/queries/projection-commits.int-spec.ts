import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { firstValueFrom, take, timeout, toArray } from 'rxjs';
import { DataSource } from 'typeorm';
import {
  type ProjectionTestDatabase,
  projectionTestDatabase,
} from '../testing/projection-test-database.js';
import { PROJECTION_BATCH_CHANNEL } from '../runner/projection-runner.js';
import { ProjectionCommits } from './projection-commits.js';

describe('ProjectionCommits', () => {
  let database: ProjectionTestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await projectionTestDatabase();
    dataSource = database.dataSource;
  });
  afterAll(() => database.drop());

  it('asks the first subscribers to re-read once it listens, then passes on each commit', async () => {
    const commits = new ProjectionCommits(dataSource);
    try {
      // A subscriber's first read may come before LISTEN takes effect: a commit in between
      // would be lost, so the listener's start is announced as a resync.
      const heard = firstValueFrom(commits.changes.pipe(take(2), toArray()));
      const notify = async () => {
        await dataSource.query('SELECT pg_notify($1, $2)', [
          PROJECTION_BATCH_CHANNEL,
          JSON.stringify({ projection: 'participation', position: 42 }),
        ]);
      };
      const poll = setInterval(() => void notify(), 50);
      try {
        expect(await heard).toEqual([
          { resync: true },
          { projection: 'participation', position: 42 },
        ]);
      } finally {
        clearInterval(poll);
      }
    } finally {
      await commits.onApplicationShutdown();
    }
  });

  it('leaves no connection behind when shut down while it is still connecting', async () => {
    const listeners = async () =>
      (
        await dataSource.query(
          `SELECT count(*)::int AS open FROM pg_stat_activity
            WHERE application_name LIKE '% feeds' AND datname = current_database()`,
        )
      )[0].open as number;
    const commits = new ProjectionCommits(dataSource);
    const subscription = commits.changes.subscribe();
    await commits.onApplicationShutdown(); // before LISTEN has answered
    subscription.unsubscribe();
    // Give the connection under way time to open (and, shut down, to close again).
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    let open = await listeners();
    for (let wait = 0; open > 0 && wait < 40; wait++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      open = await listeners();
    }
    expect(open).toBe(0);
  });

  it('listens on a data source configured by host and port, not by url', async () => {
    const url = new URL(database.url);
    const hostConfigured = new DataSource({
      type: 'postgres',
      host: url.hostname,
      port: Number(url.port),
      username: decodeURIComponent(url.username),
      password: decodeURIComponent(url.password),
      database: url.pathname.slice(1),
    });
    const commits = new ProjectionCommits(hostConfigured);
    try {
      expect(await firstValueFrom(commits.changes.pipe(timeout(10_000)))).toEqual({
        resync: true,
      });
    } finally {
      await commits.onApplicationShutdown();
    }
  });
});
