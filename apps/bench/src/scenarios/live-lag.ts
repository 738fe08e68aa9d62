import { PROJECTION_BATCH_CHANNEL, projections } from '#projections';
import pg from 'pg';
import { type Scenario } from '../scenario.js';
import { latencyOf } from '../statistics.js';
import { sleep } from '../api-service.js';
import { enrollmentLoad } from './http-appends.js';
import { type Commit, commitLags } from '../commit-lags.js';

const wallClock = () => performance.timeOrigin + performance.now();

/**
 * Enrollments at a steady rate (half the single-append rate measured in this run) while a
 * LISTEN on the runner's batch channel times each projection commit. An event's append time is
 * its `recorded_at`, stamped by PostgreSQL inside the append transaction: this assumes the
 * database runs on this machine's clock (true of the embedded server and of local ones).
 */
export const liveLag: Scenario = {
  id: 'live-lag',
  figures: ['live-lag'],
  async run(bench) {
    const service = await bench.service();
    await bench.settled();
    const names = projections.map((projection) => projection.name);
    const listener = new pg.Client({ connectionString: bench.database.url });
    await listener.connect();
    const commits: Commit[] = [];
    listener.on('notification', ({ payload }) => {
      const { projection, position } = JSON.parse(payload ?? '{}') as Omit<Commit, 'at'>;
      commits.push({ projection, position, at: wallClock() });
    });
    try {
      await listener.query(`LISTEN ${PROJECTION_BATCH_CHANNEL}`);
      const before = await bench.head();
      const single = bench.measured('append-single')?.value ?? 400;
      const overallRate =
        bench.options.loadRate ?? Math.round(Math.min(Math.max(single / 2, 20), 5_000));
      const result = await enrollmentLoad(service, 'L', {
        connections: 16,
        durationSeconds: bench.options.durationSeconds,
        overallRate,
      });
      const after = await bench.head();
      for (let waited = 0; waited < 10_000; waited += 50) {
        const reached = names.every((name) =>
          commits.some((c) => c.projection === name && c.position >= after),
        );
        if (reached) break;
        await sleep(50);
      }
      const { rows } = await bench.pool.query<{ position: string; at: string }>(
        `SELECT global_position AS position, extract(epoch FROM recorded_at) * 1000 AS at
         FROM events WHERE global_position > $1 AND global_position <= $2`,
        [before, after],
      );
      const appends = rows.map((row) => ({ position: Number(row.position), at: Number(row.at) }));
      const { lags, unseen } = commitLags(appends, commits, names);
      if (unseen > 0)
        throw new Error(
          `${unseen} of ${appends.length} appends never reached every projection within 10 s`,
        );
      const lag = latencyOf(lags);
      // Each projection's own lag (p50 / p99, ms), to tell which one sets the figure.
      const byProjection = names
        .map((name) => {
          const own = latencyOf(commitLags(appends, commits, [name]).lags);
          return `${name} ${Math.round(own.p50)} / ${Math.round(own.p99)}`;
        })
        .join(', ');
      return {
        'live-lag': {
          value: lag.p99,
          p50: lag.p50,
          p99: lag.p99,
          details: {
            appends: appends.length,
            maxMs: lag.max,
            projectionNotices: commits.length,
            requestedRate: overallRate,
            achievedRate: result['2xx'] / result.duration,
            projections: names.join(', '),
            byProjection,
          },
        },
      };
    } finally {
      await listener.end();
    }
  },
};
