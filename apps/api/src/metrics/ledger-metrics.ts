import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { EventStore } from '#event-store';
import { KNOWN_AT_BUILD_KINDS, KnownAtSnapshots, ProjectionRunner } from '#projections';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { FEED_NAMES } from '../feeds/feed-controller.js';
import { FeedRegistry } from '../feeds/feed-registry.js';
import { isSupervised } from '../cluster.js';
import { answerClusterScrapes } from './cluster-metrics.js';
import { registerWorkMetrics } from './work-metrics.js';

/** Request durations fall between a cached read (a few ms) and a large import (seconds). */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The service's Prometheus metrics, in a registry of its own rather than prom-client's global
 * one, so that several apps in one process (the e2e tests) each count their own. Figures the
 * service already keeps (the log's head, each projection's checkpoint) are read at scrape time;
 * they are the database's, not this process's, so a cluster's scrape takes them from one
 * process (`aggregator: 'first'`) where it sums the rest (cluster-metrics.ts).
 */
@Injectable()
export class LedgerMetrics implements OnModuleDestroy {
  /** What this process did: requests, appends, projection work, feeds, snapshots. */
  private readonly work = new Registry();
  /** What the database holds (the head, the projections' checkpoints and lag). */
  private readonly database = new Registry();
  /** Both, as one process's `/metrics` shows them (merged once both are filled). */
  readonly registry: Registry;

  readonly httpRequestDuration = new Histogram({
    name: 'ledger_http_request_duration_seconds',
    help: 'HTTP requests by method, route template and status, from arrival to the last byte sent',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.work],
  });

  /** Parts of snapshots "as known at" a time this process made, by kind (docs/auditing.md). */
  readonly knownAtBuilds = new Counter({
    name: 'ledger_known_at_builds_total',
    help: 'Parts (one projection at one time) of snapshots of the read models as known at a time made by this process, by kind: views (a batch boundary), replay (inside a batch), copy (an overlay whose check failed, made again by copying its tables) or tables (copied into indexed tables in the background)',
    labelNames: ['kind'] as const,
    registers: [this.work],
  });

  readonly knownAtBuildDuration = new Histogram({
    name: 'ledger_known_at_build_seconds',
    help: 'Time to make a part of a snapshot of the read models as known at a time, by kind',
    labelNames: ['kind'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300],
    registers: [this.work],
  });

  private readonly stopObserving: () => void;
  private readonly stopAnswering: () => void;

  constructor(
    store: EventStore,
    runner: ProjectionRunner,
    feeds: FeedRegistry,
    knownAt: KnownAtSnapshots,
  ) {
    this.stopObserving = registerWorkMetrics(this.work, store, runner);
    this.stopAnswering = answerClusterScrapes(
      { work: this.work, database: this.database },
      isSupervised(),
    );
    for (const kind of KNOWN_AT_BUILD_KINDS) {
      this.knownAtBuilds.inc({ kind }, 0);
      this.knownAtBuildDuration.zero({ kind });
    }
    knownAt.onBuild(({ kind, ms }) => {
      this.knownAtBuilds.inc({ kind });
      this.knownAtBuildDuration.observe({ kind }, ms / 1000);
    });
    new Gauge({
      name: 'ledger_feed_subscribers',
      help: 'Per change feed (units, campaigns, milestones, organizations, alerts): connections open in this process',
      labelNames: ['feed'] as const,
      registers: [this.work],
      collect() {
        const open = feeds.feedCounts.openByFeed;
        for (const feed of new Set([...FEED_NAMES, ...Object.keys(open)])) {
          this.set({ feed }, open[feed] ?? 0);
        }
      },
    });
    new Gauge({
      name: 'ledger_event_store_head_position',
      help: 'Global position of the last event in the log (PostgreSQL: events; KurrentDB: bytes)',
      registers: [this.database],
      aggregator: 'first',
      async collect() {
        this.set(await store.headPosition());
      },
    });
    let statuses: ReturnType<ProjectionRunner['status']> | undefined;
    // One read of the checkpoints serves every projection gauge of a scrape.
    const status = () => (statuses ??= runner.status().finally(() => (statuses = undefined)));
    new Gauge({
      name: 'ledger_projection_lag',
      help: 'Per projection: the log head minus its checkpoint (what it has yet to apply)',
      labelNames: ['projection'] as const,
      registers: [this.database],
      aggregator: 'first',
      async collect() {
        for (const { projection, lag } of await status()) this.set({ projection }, lag);
      },
    });
    new Gauge({
      name: 'ledger_projection_checkpoint',
      help: 'Per projection: the last log position committed to its read model',
      labelNames: ['projection'] as const,
      registers: [this.database],
      aggregator: 'first',
      async collect() {
        for (const { projection, checkpoint } of await status()) {
          this.set({ projection }, checkpoint);
        }
      },
    });
    this.registry = Registry.merge([this.work, this.database]);
  }

  onModuleDestroy(): void {
    this.stopAnswering();
    this.stopObserving();
    this.work.clear();
    this.database.clear();
  }
}
