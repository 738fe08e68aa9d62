import { ADVISORY_LOCKS } from '#database';

/**
 * Serialises position assignment and commit across every writer (see docs/event-store.md),
 * so a global position never becomes visible before a lower one, and each commit chains onto
 * the one before.
 */
export const APPEND_LOCK = `SELECT pg_advisory_xact_lock(${ADVISORY_LOCKS.append.join(', ')})`;
