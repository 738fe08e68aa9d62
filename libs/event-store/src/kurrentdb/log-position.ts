import type { Position } from '@kurrent/kurrentdb-client';
import { PositionOutOfRange, UnreadableEvent } from './kurrentdb-errors.js';

const LARGEST = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * The port's global position of an event: its `$all` commit position, a byte offset in the
 * transaction log. Every event KurrentDB writes today commits itself, so its commit and prepare
 * positions are equal; a legacy explicit transaction would break that, and is refused.
 */
export function toGlobalPosition(position: Position | undefined, where: string): number {
  if (!position) {
    throw new UnreadableEvent(
      where,
      'KurrentDB sent no log position (servers before 22.6 omit it)',
    );
  }
  if (position.commit !== position.prepare) {
    throw new UnreadableEvent(
      where,
      `its commit position ${position.commit} differs from its prepare position ` +
        `${position.prepare} (an explicit transaction), which one number cannot represent`,
    );
  }
  if (position.commit > LARGEST) throw new PositionOutOfRange(position.commit);
  return Number(position.commit);
}

/** The `$all` position to read from; only an event's own position is a valid place to start. */
export function toLogPosition(position: number): Position {
  if (!Number.isSafeInteger(position) || position < 0) {
    throw new RangeError(`${position} is not a global position`);
  }
  return { commit: BigInt(position), prepare: BigInt(position) };
}

/** A stream revision as the port counts it. */
export function toRevision(revision: bigint, where: string): number {
  if (revision > LARGEST || revision < 0n) {
    throw new UnreadableEvent(where, `its revision ${revision} is out of range`);
  }
  return Number(revision);
}
