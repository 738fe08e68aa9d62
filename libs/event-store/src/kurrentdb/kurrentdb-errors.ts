/** KurrentDB could not be reached, or refused the connection string: start-up stops here. */
export class KurrentDBUnreachable extends Error {
  constructor(
    readonly connectionString: string,
    reason: string,
  ) {
    super(`KurrentDB at ${connectionString} cannot be used: ${reason}`);
    this.name = 'KurrentDBUnreachable';
  }
}

/** An append to several streams needs KurrentDB's multi-stream append, which this server lacks. */
export class MultiStreamAppendUnsupported extends Error {
  constructor(readonly minimumVersion: string) {
    super(
      `Appending to several streams atomically needs KurrentDB ${minimumVersion} or later ` +
        '(multi-stream append); this server does not offer it, so nothing was written.',
    );
    this.name = 'MultiStreamAppendUnsupported';
  }
}

/** The stream was deleted or tombstoned in KurrentDB (never by this service): nothing was written. */
export class StreamDeleted extends Error {
  constructor(readonly streamId: string) {
    super(`Stream ${streamId} was deleted in KurrentDB, so nothing can be appended to it.`);
    this.name = 'StreamDeleted';
  }
}

/** An event in the log that this adapter cannot turn into a RecordedEvent. */
export class UnreadableEvent extends Error {
  constructor(where: string, reason: string) {
    super(`Cannot read ${where}: ${reason}`);
    this.name = 'UnreadableEvent';
  }
}

/** A `$all` position beyond what a JavaScript number holds exactly (about 9 PB of log). */
export class PositionOutOfRange extends Error {
  constructor(readonly commitPosition: bigint) {
    super(
      `KurrentDB commit position ${commitPosition} is above ${Number.MAX_SAFE_INTEGER}, ` +
        'the largest position this event store can represent.',
    );
    this.name = 'PositionOutOfRange';
  }
}

/** Other writers kept moving the stream on while an 'any' or 'stream_exists' append retried. */
export class AppendContended extends Error {
  constructor(
    readonly streamIds: string[],
    attempts: number,
  ) {
    super(
      `Gave up appending to ${streamIds.join(', ')} after ${attempts} attempts: other writers ` +
        'kept appending in between. Nothing of this append was written.',
    );
    this.name = 'AppendContended';
  }
}
