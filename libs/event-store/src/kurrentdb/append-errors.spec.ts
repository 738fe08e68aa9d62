import { describe, expect, it } from '@jest/globals';
import {
  MaxAppendSizeExceededError,
  NO_STREAM,
  StreamDeletedError,
  UnavailableError,
  UnsupportedError,
  WrongExpectedVersionError,
} from '@kurrent/kurrentdb-client';
import { InvalidAppend, StreamRevisionConflict } from '../errors.js';
import type { StreamWrite } from '../event-store.js';
import { newEvent } from '../testing/event-store.contract.js';
import { translateAppendError } from './append-errors.js';
import { MultiStreamAppendUnsupported, StreamDeleted } from './kurrentdb-errors.js';

const writes: StreamWrite[] = [
  { streamId: 'campaign-1', events: [newEvent()], expectedRevision: 'no_stream' },
  { streamId: 'plan-2', events: [newEvent()], expectedRevision: 4 },
];

describe('translateAppendError', () => {
  it("turns a wrong expected version into the port's conflict, naming the stream's write", () => {
    const error = new WrongExpectedVersionError(undefined, {
      streamName: 'plan-2',
      expected: 4n,
      current: 6n,
    });
    const conflict = translateAppendError(error, writes);
    expect(conflict).toBeInstanceOf(StreamRevisionConflict);
    expect(conflict).toMatchObject({ streamId: 'plan-2', expected: 4, actual: 6 });
  });

  it('reports a stream that does not exist as actual revision -1', () => {
    const error = new WrongExpectedVersionError(undefined, {
      streamName: 'campaign-1',
      expected: 0n,
      current: NO_STREAM,
    });
    expect(translateAppendError(error, writes)).toMatchObject({
      streamId: 'campaign-1',
      expected: 'no_stream',
      actual: -1,
    });
  });

  it('reports a deleted stream', () => {
    const translated = translateAppendError(StreamDeletedError.fromStreamName('plan-2'), writes);
    expect(translated).toBeInstanceOf(StreamDeleted);
    expect(translated).toMatchObject({ streamId: 'plan-2' });
  });

  it('reports a server without multi-stream append and the version it needs', () => {
    const translated = translateAppendError(
      new UnsupportedError('multiStreamAppend', '25.1'),
      writes,
    );
    expect(translated).toBeInstanceOf(MultiStreamAppendUnsupported);
    expect((translated as Error).message).toMatch(/KurrentDB 25\.1 or later/);
  });

  it('reports an append too large for the server as invalid', () => {
    const translated = translateAppendError(
      MaxAppendSizeExceededError.fromMaxAppendSize(1_048_576),
      writes,
    );
    expect(translated).toBeInstanceOf(InvalidAppend);
  });

  it('leaves other failures as they are', () => {
    const unavailable = new UnavailableError();
    expect(translateAppendError(unavailable, writes)).toBe(unavailable);
  });
});
