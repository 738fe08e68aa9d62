import { type EventStore } from '#event-store';
import { type ProjectionRunner } from '#projections';
import { Counter, Gauge, Histogram, type Registry, collectDefaultMetrics } from 'prom-client';

/** A live batch commits in about a millisecond when small, seconds when catching up. */
const BATCH_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** A rebuild takes under a second on a small log and an hour or more on a large one. */
const REBUILD_BUCKETS = [0.5, 1, 5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200];
/** Appends per commit: 1 (no concurrency) up to the writers in flight (64 HTTP clients and more). */
const GROUP_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 256];

/**
 * The metrics of the work any process of the service does, the API's as the projector's:
 * prom-client's process metrics, the appends it committed and the projection batches and
 * rebuilds it ran. Each counts this process only; with API_WORKERS the cluster sums them
 * (cluster-metrics.ts). Returns what stops the observing.
 */
export function registerWorkMetrics(
  registry: Registry,
  store: EventStore,
  runner: ProjectionRunner,
): () => void {
  collectDefaultMetrics({ register: registry, prefix: 'ledger_' });
  const appends = new Counter({
    name: 'ledger_event_store_appends_total',
    help: 'Appends this process committed that wrote events (not repeats answered as recorded, nor conflicts)',
    registers: [registry],
  });
  const events = new Counter({
    name: 'ledger_event_store_events_total',
    help: 'Events this process appended to the log',
    registers: [registry],
  });
  const groupSize = new Histogram({
    name: 'ledger_event_store_commit_appends',
    help: 'Appends per commit: concurrent appends share one transaction (group commit)',
    buckets: GROUP_BUCKETS,
    registers: [registry],
  });
  const batchDuration = new Histogram({
    name: 'ledger_projection_batch_duration_seconds',
    help: 'Per projection: batches the live loop committed in this process, from the start of their transaction to its commit',
    labelNames: ['projection'] as const,
    buckets: BATCH_BUCKETS,
    registers: [registry],
  });
  const projectionEvents = new Counter({
    name: 'ledger_projection_events_total',
    help: 'Per projection: events of the log applied in this process, by its live loop (work="live") or by rebuilds (work="rebuild")',
    labelNames: ['projection', 'work'] as const,
    registers: [registry],
  });
  const rebuildDuration = new Histogram({
    name: 'ledger_projection_rebuild_duration_seconds',
    help: 'Per projection and outcome (done, failed): rebuilds run in this process, from their start to the swap or the failure',
    labelNames: ['projection', 'outcome'] as const,
    buckets: REBUILD_BUCKETS,
    registers: [registry],
  });
  const rebuildTransactions = new Counter({
    name: 'ledger_projection_rebuild_transaction_seconds_total',
    help: "Per projection: time its rebuilds' replay transactions took in this process; the projection whose share is nearest the rebuild's duration is the one every page waits for",
    labelNames: ['projection'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'ledger_projection_running',
    help: 'Per projection and state: 1 for the state it is in in this process, 0 for the others (with API_WORKERS: the processes in that state)',
    labelNames: ['projection', 'state'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const { projection, state } of runner.states()) this.set({ projection, state }, 1);
    },
  });
  const stopAppends = store.observeAppends((committed) => {
    appends.inc(committed.appends);
    events.inc(committed.events);
    groupSize.observe(committed.appends);
  });
  const stopProjections = runner.observe({
    batchCommitted: ({ projection, events, durationMs }) => {
      batchDuration.observe({ projection }, durationMs / 1000);
      projectionEvents.inc({ projection, work: 'live' }, events);
    },
    rebuildFinished: ({ projection, events, durationMs, transactionMs, outcome }) => {
      rebuildDuration.observe({ projection, outcome }, durationMs / 1000);
      rebuildTransactions.inc({ projection }, transactionMs / 1000);
      projectionEvents.inc({ projection, work: 'rebuild' }, events);
    },
  });
  return () => {
    stopAppends();
    stopProjections();
  };
}
