/**
 * Every PostgreSQL advisory lock the service takes, in one place so that no two uses can be
 * given the same key unseen. All are the two-int form `pg_advisory_*(namespace, key)`; where
 * only a namespace is given, the user picks the key as said.
 */
export const ADVISORY_LOCKS = {
  /** Concurrent starters running migrations wait on it, so each migration runs once. */
  migrations: [7243, 0],
  /**
   * Serialises position assignment and commit of every append (transaction-level). Also
   * spelled out inside the append-group migration's SQL, which stays as it ran.
   */
  append: [7243, 1],
  /** A projection runner's leadership: keyed by `hashtext(projection name)`. */
  projectionElection: 7244,
  /** Which API process runs the alert watch and the delivery timer. */
  alertsLeadership: [7245, 1],
  /** Making one known-at snapshot: keyed by its log position (never negative). */
  knownAtSnapshots: 7246,
  /** Pruning known-at history and snapshots: in the snapshots' namespace, with a key no position takes. */
  knownAtPrune: [7246, -1],
} as const;
