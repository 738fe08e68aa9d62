import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { EventStore } from '#event-store';
import { KNOWN_AT_BUILD_KINDS, KnownAtSnapshots, ProjectionRunner } from '#projections';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { FEED_NAMES } from '../feeds/feed-controller.js';
import { FeedRegistry } from '../feeds/feed-registry.js';

/** Request durations fall between a cached read (a few ms) and a large import (seconds). */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** A live batch commits in about a millisecond when small, seconds when catching up. */
const BATCH_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** A rebuild takes under a second on a small log and an hour or more on a large one. */
const REBUILD_BUCKETS = [0.5, 1, 5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200];

/** Appends per commit: 1 (no concurrency) up to the writers in flight (64 HTTP clients and more). */
const GROUP_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 256];

/**
 * The service's Prometheus metrics, in a registry of its own rather than prom-client's global
 * one, so that several apps in one process (the e2e tests) each count their own. Figures the
 * service already keeps (the log's head, each projection's checkpoint) are read at scrape time.
 */
@Injectable()
export class LedgerMetrics implements OnModuleDestroy {
  readonly registry = new Registry();

  readonly httpRequestDuration = new Histogram({
    name: 'ledger_http_request_duration_seconds',
    help: 'HTTP requests by method, route template and status, from arrival to the last byte sent',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  readonly projectionBatchDuration = new Histogram({
    name: 'ledger_projection_batch_duration_seconds',
    help: 'Per projection: batches the live loop committed in this process, from the start of their transaction to its commit',
    labelNames: ['projection'] as const,
    buckets: BATCH_BUCKETS,
    registers: [this.registry],
  });

  readonly projectionEvents = new Counter({
    name: 'ledger_projection_events_total',
    help: 'Per projection: events of the log applied in this process, by its live loop (work="live") or by rebuilds (work="rebuild")',
    labelNames: ['projection', 'work'] as const,
    registers: [this.registry],
  });

  readonly projectionRebuildDuration = new Histogram({
    name: 'ledger_projection_rebuild_duration_seconds',
    help: 'Per projection and outcome (done, failed): rebuilds run in this process, from their start to the swap or the failure',
    labelNames: ['projection', 'outcome'] as const,
    buckets: REBUILD_BUCKETS,
    registers: [this.registry],
  });

  /** Parts of snapshots "as known at" a time this process made, by kind (docs/auditing.md). */
  readonly knownAtBuilds = new Counter({
    name: 'ledger_known_at_builds_total',
    help: 'Parts (one projection at one time) of snapshots of the read models as known at a time made by this process, by kind: views (a batch boundary), replay (inside a batch), copy (an overlay whose check failed, made again by copying its tables) or tables (copied into indexed tables in the background)',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });

  readonly knownAtBuildDuration = new Histogram({
    name: 'ledger_known_at_build_seconds',
    help: 'Time to make a part of a snapshot of the read models as known at a time, by kind',
    labelNames: ['kind'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300],
    registers: [this.registry],
  });

  private readonly unobserve: () => void;
  private readonly stopObserving: () => void;

  constructor(
    store: EventStore,
    runner: ProjectionRunner,
    feeds: FeedRegistry,
    knownAt: KnownAtSnapshots,
  ) {
    collectDefaultMetrics({ register: this.registry, prefix: 'ledger_' });
    for (const kind of KNOWN_AT_BUILD_KINDS) {
      this.knownAtBuilds.inc({ kind }, 0);
      this.knownAtBuildDuration.zero({ kind });
    }
    knownAt.onBuild(({ kind, ms }) => {
      this.knownAtBuilds.inc({ kind });
      this.knownAtBuildDuration.observe({ kind }, ms / 1000);
    });
    const appends = new Counter({
      name: 'ledger_event_store_appends_total',
      help: 'Appends this process committed that wrote events (not repeats answered as recorded, nor conflicts)',
      registers: [this.registry],
    });
    const events = new Counter({
      name: 'ledger_event_store_events_total',
      help: 'Events this process appended to the log',
      registers: [this.registry],
    });
    const groupSize = new Histogram({
      name: 'ledger_event_store_commit_appends',
      help: 'Appends per commit: concurrent appends share one transaction (group commit)',
      buckets: GROUP_BUCKETS,
      registers: [this.registry],
    });
    this.stopObserving = store.observeAppends((committed) => {
      appends.inc(committed.appends);
      events.inc(committed.events);
      groupSize.observe(committed.appends);
    });
    this.unobserve = runner.observe({
      batchCommitted: ({ projection, events, durationMs }) => {
        this.projectionBatchDuration.observe({ projection }, durationMs / 1000);
        this.projectionEvents.inc({ projection, work: 'live' }, events);
      },
      rebuildFinished: ({ projection, events, durationMs, outcome }) => {
        this.projectionRebuildDuration.observe({ projection, outcome }, durationMs / 1000);
        this.projectionEvents.inc({ projection, work: 'rebuild' }, events);
      },
    });
    new Gauge({
      name: 'ledger_feed_subscribers',
      help: 'Per change feed (units, campaigns, milestones, organizations, alerts): connections open in this process',
      labelNames: ['feed'] as const,
      registers: [this.registry],
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
      registers: [this.registry],
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
      registers: [this.registry],
      async collect() {
        for (const { projection, lag } of await status()) this.set({ projection }, lag);
      },
    });
    new Gauge({
      name: 'ledger_projection_checkpoint',
      help: 'Per projection: the last log position committed to its read model',
      labelNames: ['projection'] as const,
      registers: [this.registry],
      async collect() {
        for (const { projection, checkpoint } of await status()) {
          this.set({ projection }, checkpoint);
        }
      },
    });
    new Gauge({
      name: 'ledger_projection_running',
      help: 'Per projection and state: 1 for the state it is in in this process, 0 for the others',
      labelNames: ['projection', 'state'] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const { projection, state } of await status()) this.set({ projection, state }, 1);
      },
    });
  }

  onModuleDestroy(): void {
    this.unobserve();
    this.stopObserving();
    this.registry.clear();
  }
}
