import { type BenchOptions } from './bench-options.js';
import { count, type FigureSpec } from './figures.js';
import { type Scenario } from './scenario.js';
import { copyAndRead, inserts, KEYSET_PAGE } from './scenarios/baselines.js';
import {
  appendToFilledStore,
  BENCH_API_WORKERS,
  batchAppend,
  httpAppends,
  importCli,
  singleAppend,
} from './scenarios/http-appends.js';
import { dashboardQueriesScenario } from './scenarios/dashboard-queries.js';
import { knownAtReads } from './scenarios/known-at.js';
import { liveLag } from './scenarios/live-lag.js';
import { CLIENTS, longStreams } from './scenarios/long-streams.js';
import { pushLatency } from './scenarios/push-latency.js';
import { rebuild } from './scenarios/rebuild.js';
import { storeAppends } from './scenarios/store-appends.js';
import { HISTORY_COST_EVENTS, historyCost } from './scenarios/history-cost.js';

const TEN_MILLION = 10_000_000;

/** Every figure the harness reports, in table order: raw baselines first, then ours. */
export function figures(options: BenchOptions): FigureSpec[] {
  const n = count(options.events);
  return [
    { id: 'copy', title: `Raw COPY of ${n} events`, unit: 'events/s' },
    {
      id: 'insert-single',
      title: `Raw single-row INSERTs, ${options.insertConnections} connections`,
      unit: 'events/s',
    },
    {
      id: 'insert-multi',
      title: `Raw ${options.batchEvents}-row INSERTs, 1 connection`,
      unit: 'events/s',
    },
    { id: 'keyset-read', title: `Raw keyset read, pages of ${KEYSET_PAGE}`, unit: 'events/s' },
    {
      id: 'store-append-8',
      title: 'Single-event append, event store library, 8 writers',
      unit: 'events/s',
      baseline: 'insert-single',
      target: { kind: 'ratio', atLeast: 0.6 },
    },
    {
      id: 'store-append-64',
      title: 'Single-event append, event store library, 64 writers',
      unit: 'events/s',
      baseline: 'insert-single',
      target: { kind: 'ratio', atLeast: 1.2 },
    },
    {
      id: 'store-append-batch',
      title: `Batch append, event store library, ${options.batchEvents} events (streams) a call`,
      unit: 'events/s',
      baseline: 'copy',
      target: { kind: 'ratio', atLeast: 0.4 },
    },
    {
      id: 'append-single',
      title: `Single-event append over HTTP, ${options.connections} clients`,
      unit: 'events/s',
      baseline: 'insert-single',
      target: { kind: 'ratio', atLeast: 0.6 },
      stretch: { kind: 'ratio', atLeast: 1.2 },
    },
    {
      id: 'http-insert-single',
      title: `Raw single-row INSERTs, ${options.insertConnections} connections (beside the next two)`,
      unit: 'events/s',
    },
    {
      id: 'http-append-1',
      title: `Single-event append over HTTP, 1 API process, ${options.connections} clients`,
      unit: 'events/s',
      baseline: 'http-insert-single',
      target: { kind: 'ratio', atLeast: 0.6 },
    },
    {
      id: 'http-append-workers',
      title: `Single-event append over HTTP, API_WORKERS=${BENCH_API_WORKERS}, ${options.connections} clients`,
      unit: 'events/s',
      baseline: 'http-insert-single',
      target: { kind: 'ratio', atLeast: 1.2 },
    },
    {
      id: 'append-batch',
      title: `Batch append over HTTP, ${options.batchEvents} events a request, ${options.batchClients} clients`,
      unit: 'events/s',
      baseline: 'copy',
      target: { kind: 'ratio', atLeast: 0.6 },
    },
    {
      id: 'import-cli',
      title: `Import CLI, ${count(options.importRows)}-row NDJSON file`,
      unit: 'rows/s',
      baseline: 'copy',
      // Issue 16 item 2 (at 100k rows: --large); a short file mostly measures the CLI's start.
      target: { kind: 'ratio', atLeast: 0.6 },
    },
    {
      id: 'rebuild',
      title: `Projection rebuild of ${n} events`,
      unit: 'events/s',
      baseline: 'copy',
      target: { kind: 'ratio', atLeast: 1 },
    },
    {
      id: 'rebuild-memory',
      title: `Peak memory (RSS) of that rebuild`,
      unit: 'MiB',
      target: { kind: 'at-most', value: 2048 },
      targetAtEvents: TEN_MILLION,
    },
    ...historyFigures(options),
    {
      id: 'live-lag',
      title: 'Live lag p99, append → read-model commit',
      unit: 'ms',
      target: { kind: 'at-most', value: 50 },
    },
    {
      id: 'push-latency',
      title: 'Push latency p99, append answered → SSE message',
      unit: 'ms',
      target: { kind: 'at-most', value: 50 },
    },
    {
      id: 'query-latency',
      title: `Dashboard queries p99 at ${n} events`,
      unit: 'ms',
      target: { kind: 'at-most', value: 50 },
      targetAtEvents: TEN_MILLION,
    },
    {
      id: 'known-at-first',
      title: `First read as known at a new time, ${n} events stored`,
      unit: 'ms',
      target: { kind: 'at-most', value: options.events >= TEN_MILLION ? 5_000 : 2_000 },
      targetAtEvents: options.events >= TEN_MILLION ? TEN_MILLION : 1_000_000,
    },
    {
      id: 'known-at-first-inside',
      title: 'First read as known at a time inside a batch, halfway through the log',
      unit: 'ms',
      target: { kind: 'at-most', value: options.events >= TEN_MILLION ? 5_000 : 2_000 },
      targetAtEvents: options.events >= TEN_MILLION ? TEN_MILLION : 1_000_000,
    },
    {
      id: 'known-at-read',
      title: 'Later reads as known at that time, p99',
      unit: 'ms',
      baseline: 'known-at-live-read',
    },
    {
      id: 'known-at-read-inside',
      title: 'Later reads as known at the time inside a batch, p99',
      unit: 'ms',
      baseline: 'known-at-live-read',
    },
    { id: 'known-at-live-read', title: 'Live reads beside them, p99', unit: 'ms' },
    {
      id: 'append-filled',
      title: `Single-event append with ${n} events stored (vs empty store)`,
      unit: 'events/s',
      baseline: 'append-single',
    },
    ...longStreamFigures(options),
  ];
}

function longStreamFigures({ streamReports: [short, mid, long] }: BenchOptions): FigureSpec[] {
  const title = (reports: number) =>
    `Participation report over HTTP, ${count(reports)} reports in its stream, ${CLIENTS} clients`;
  return [
    { id: 'long-streams-short', title: title(short), unit: 'events/s' },
    {
      id: 'long-streams-mid',
      title: `${title(mid)} (vs ${short})`,
      unit: 'events/s',
      baseline: 'long-streams-short',
    },
    {
      id: 'long-streams-long',
      title: `${title(long)} (vs ${short})`,
      unit: 'events/s',
      baseline: 'long-streams-short',
      target: { kind: 'ratio', atLeast: 0.8 },
    },
  ];
}

/** Every measurement, in the order it runs: each phase leaves the store as the next needs it. */
export const scenarios: Scenario[] = [
  copyAndRead,
  inserts,
  storeAppends,
  singleAppend,
  httpAppends,
  batchAppend,
  importCli,
  liveLag,
  pushLatency,
  rebuild,
  historyCost,
  appendToFilledStore,
  dashboardQueriesScenario,
  knownAtReads,
  // Last: the histories it imports would add to the store the figures above are measured on.
  longStreams,
];

/** Projection throughput with the read models' row history, against the same without it. */
function historyFigures(options: BenchOptions): FigureSpec[] {
  const n = count(Math.min(options.events, HISTORY_COST_EVENTS));
  const figures: FigureSpec[] = [];
  for (const [path, title] of [
    ['live', 'Live projection'],
    ['rebuild', 'Rebuild'],
  ]) {
    figures.push(
      {
        id: `history-${path}-without`,
        title: `${title} of ${n} events into fresh tables, no row history`,
        unit: 'events/s',
      },
      {
        id: `history-${path}`,
        title: `${title} of the same events, keeping row history`,
        unit: 'events/s',
        baseline: `history-${path}-without`,
        target: { kind: 'ratio', atLeast: 0.7 },
      },
    );
  }
  return figures;
}
