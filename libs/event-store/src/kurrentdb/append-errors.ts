import {
  AppendRecordSizeExceededError,
  MaxAppendSizeExceededError,
  StreamDeletedError,
  StreamTombstonedError,
  TransactionMaxSizeExceededError,
  UnsupportedError,
  WrongExpectedVersionError,
} from '@kurrent/kurrentdb-client';
import { InvalidAppend, StreamRevisionConflict } from '../errors.js';
import type { StreamWrite } from '../event-store.js';
import { MultiStreamAppendUnsupported, StreamDeleted } from './kurrentdb-errors.js';
import { toActualRevision } from './stream-state.js';

/** The port's typed error for what the client threw on an append; anything else unchanged. */
export function translateAppendError(error: unknown, writes: StreamWrite[]): unknown {
  if (error instanceof WrongExpectedVersionError) {
    const write = writes.find((w) => w.streamId === error.streamName) ?? writes[0];
    return new StreamRevisionConflict(
      write.streamId,
      write.expectedRevision,
      toActualRevision(error.actualState),
    );
  }
  if (error instanceof StreamDeletedError) return new StreamDeleted(error.streamName);
  if (error instanceof StreamTombstonedError) return new StreamDeleted(error.stream);
  if (error instanceof UnsupportedError)
    return new MultiStreamAppendUnsupported(error.minimumVersion);
  if (
    error instanceof MaxAppendSizeExceededError ||
    error instanceof AppendRecordSizeExceededError ||
    error instanceof TransactionMaxSizeExceededError
  ) {
    return new InvalidAppend(`too large for KurrentDB (${error.message})`);
  }
  return error;
}
