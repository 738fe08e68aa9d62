import { HttpStatus } from '@nestjs/common';
import { EventIdReused, InvalidAppend, StreamRevisionConflict } from '#event-store';
import { Unhealthy } from '../health/unhealthy.js';

type ErrorClass = abstract new (...args: never[]) => Error;

export type ErrorAnswer = { status: HttpStatus; error: string };

/**
 * Typed errors and how HTTP answers them, with the error's own message. Add a typed domain
 * error here; anything not listed (and not an HttpException) is answered as a 500.
 */
export const knownErrors = new Map<ErrorClass, ErrorAnswer>([
  [StreamRevisionConflict, { status: HttpStatus.CONFLICT, error: 'stream_revision_conflict' }],
  [EventIdReused, { status: HttpStatus.CONFLICT, error: 'event_id_reused' }],
  [InvalidAppend, { status: HttpStatus.BAD_REQUEST, error: 'invalid_append' }],
  [Unhealthy, { status: HttpStatus.SERVICE_UNAVAILABLE, error: 'unhealthy' }],
]);

export function answerFor(error: unknown): ErrorAnswer | undefined {
  for (const [type, answer] of knownErrors) {
    if (error instanceof type) return answer;
  }
  return undefined;
}
