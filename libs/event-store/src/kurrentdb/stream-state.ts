import {
  ANY,
  NO_STREAM,
  STREAM_EXISTS,
  type AppendStreamState,
  type CurrentStreamState,
} from '@kurrent/kurrentdb-client';
import type { ExpectedRevision } from '../event-store.js';

/** The port's expectation in the client's words. */
export function toStreamState(expected: ExpectedRevision): AppendStreamState {
  if (expected === 'no_stream') return NO_STREAM;
  if (expected === 'stream_exists') return STREAM_EXISTS;
  if (expected === 'any') return ANY;
  return BigInt(expected);
}

/** An exact expectation for a stream last seen at `revision` (-1: not there). */
export function toExactStreamState(revision: number): AppendStreamState {
  return revision === -1 ? NO_STREAM : BigInt(revision);
}

/**
 * A stream's actual state as the port reports it: its last revision, or -1 when it does not
 * exist. KurrentDB reports deleted (-5) and tombstoned (-6) streams with negative numbers; for
 * an append they are as absent as a stream never written.
 */
export function toActualRevision(state: CurrentStreamState): number {
  if (state === NO_STREAM || state < 0n) return -1;
  return Number(state);
}
