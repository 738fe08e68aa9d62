export type Profile = 'quick' | 'default' | 'large';

export type BenchOptions = {
  profile: Profile;
  /** Events for COPY, the keyset read, the pre-filled store and the rebuild. */
  events: number;
  /** Length of each timed load (HTTP appends, INSERT baselines, live lag). */
  durationSeconds: number;
  /**
   * Appends a second of the live-lag and push-latency loads; unset, half the single-append rate
   * measured in the run. A fixed rate compares runs at the same load on a noisy machine.
   */
  loadRate?: number;
  /** Unmeasured load on a freshly started service first (JIT, connection pools). */
  warmupSeconds: number;
  /** Concurrent HTTP clients of the single-event append. */
  connections: number;
  /** Connections of the single-row INSERT baseline. */
  insertConnections: number;
  /** Events per request of the batch append, and rows per statement of its baseline. */
  batchEvents: number;
  /** Concurrent clients of the batch append. */
  batchClients: number;
  /** Rows of the NDJSON file the import CLI records. */
  importRows: number;
  /** Reports already in each unit's stream, short to long, in the long-streams scenario. */
  streamReports: [number, number, number];
};

/** `--quick` runs in seconds (CI keeps the harness from rotting), `--large` stores 10M events. */
export const PROFILES: Record<Profile, BenchOptions> = {
  quick: {
    profile: 'quick',
    events: 5_000,
    // Under a load average of 7 (shared machines) a fresh service's first answers to 64
    // clients took over a second: a 1 s load then recorded nothing and failed the run.
    durationSeconds: 2,
    warmupSeconds: 1,
    connections: 64,
    insertConnections: 8,
    batchEvents: 1_000,
    batchClients: 2,
    importRows: 1_000,
    streamReports: [10, 100, 300],
  },
  default: {
    profile: 'default',
    events: 200_000,
    durationSeconds: 10,
    warmupSeconds: 3,
    connections: 64,
    insertConnections: 8,
    batchEvents: 1_000,
    batchClients: 2,
    importRows: 20_000,
    streamReports: [10, 1_000, 3_000],
  },
  large: {
    profile: 'large',
    events: 10_000_000,
    durationSeconds: 20,
    warmupSeconds: 5,
    connections: 64,
    insertConnections: 8,
    batchEvents: 1_000,
    batchClients: 2,
    importRows: 100_000,
    streamReports: [10, 1_000, 3_000],
  },
};
