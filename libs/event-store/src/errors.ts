import type { ExpectedRevision } from './event-store.js';

export class StreamRevisionConflict extends Error {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    /** The stream's revision when the append was refused; -1 when it does not exist. */
    readonly actual: number,
  ) {
    super(
      `Stream ${streamId} is at revision ${actual === -1 ? '(none: no such stream)' : actual}, ` +
        `but the append expected ${describeExpected(expected)}.`,
    );
    this.name = 'StreamRevisionConflict';
  }
}

/** An event id was appended before, with a different stream or batch. */
export class EventIdReused extends Error {
  constructor(
    readonly eventIds: string[],
    detail: string,
  ) {
    super(`Event id ${eventIds.join(', ')} was used before: ${detail}`);
    this.name = 'EventIdReused';
  }
}

/** The append itself is malformed: nothing was written. */
export class InvalidAppend extends Error {
  constructor(reason: string) {
    super(`Invalid append: ${reason}`);
    this.name = 'InvalidAppend';
  }
}

function describeExpected(expected: ExpectedRevision): string {
  if (expected === 'no_stream') return 'no stream';
  if (expected === 'stream_exists') return 'an existing stream';
  if (expected === 'any') return 'any revision';
  return `revision ${expected}`;
}
