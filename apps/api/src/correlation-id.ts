import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type ServerResponse } from 'node:http';

export const CORRELATION_ID_HEADER = 'x-correlation-id';

/** Accepted from clients as is; anything else is replaced by a fresh id. */
const ACCEPTABLE = /^[\w.:-]{1,128}$/;

/**
 * Gives every request a correlation id: the caller's `X-Correlation-Id` when acceptable,
 * otherwise a new UUID. It goes back in the response header and into error bodies and logs,
 * and later into the metadata of the events the request causes.
 */
export function assignCorrelationId(
  request: IncomingMessage,
  response: ServerResponse,
  next: () => void,
): void {
  const given = request.headers[CORRELATION_ID_HEADER];
  const id = typeof given === 'string' && ACCEPTABLE.test(given) ? given : randomUUID();
  request.headers[CORRELATION_ID_HEADER] = id;
  response.setHeader('X-Correlation-Id', id);
  next();
}

export function correlationIdOf(request: IncomingMessage): string | undefined {
  const id = request.headers[CORRELATION_ID_HEADER];
  return typeof id === 'string' ? id : undefined;
}
