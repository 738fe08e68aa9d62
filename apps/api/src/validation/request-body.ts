import { HttpStatus, UnsupportedMediaTypeException } from '@nestjs/common';
import { type NextFunction, type Request, type Response } from 'express';
import { isUtf8 } from 'node:buffer';
import { type IncomingMessage } from 'node:http';
import { InvalidRequest } from '../http-errors/request-validation.js';
import { unsafeJsonIn } from './unsafe-json.js';

export const NDJSON_TYPES = ['application/x-ndjson', 'application/jsonl'];

/** Routes whose bodies are not a single JSON document; every other route takes JSON only. */
const BODY_TYPES: { path: string; types: string[] }[] = [
  { path: '/imports', types: ['application/json', ...NDJSON_TYPES] },
  { path: '/admin/log/restore', types: NDJSON_TYPES },
];

/**
 * Answers 415 to a body in a media type the route does not read. Without it, Express's form
 * parser would turn `a=1&b=2` into an object that then passes for a JSON request.
 */
export function requireKnownBodyType(request: Request, _: Response, next: NextFunction): void {
  const hasBody =
    request.headers['transfer-encoding'] !== undefined ||
    Number(request.headers['content-length'] ?? 0) > 0;
  if (!hasBody) return next();
  const path = request.path;
  const types = BODY_TYPES.find((route) => path === route.path || path === `${route.path}/`)
    ?.types ?? ['application/json'];
  if (request.is(types)) return next();
  next(
    new UnsupportedMediaTypeException(
      `${request.method} ${path} takes a body of type ${types.join(' or ')}; ` +
        `got ${request.headers['content-type'] ?? 'no Content-Type'}`,
    ),
  );
}

/**
 * Refuses a query or a parsed JSON body that would reach a recursive library or PostgreSQL
 * unsafely: a NUL in `?actor=` reached a text parameter of a query and failed there as a 500.
 */
export function refuseUnsafeInput(request: Request, _: Response, next: NextFunction): void {
  const problems = unsafeJsonIn(request.query);
  if (request.is('application/json') && request.body !== undefined)
    problems.push(...unsafeJsonIn(request.body));
  next(problems.length > 0 ? new InvalidRequest(problems) : undefined);
}

/** What body-parser's `verify` throws: its status and type are kept on the error it reports. */
class InvalidEncoding extends Error {
  readonly status = HttpStatus.BAD_REQUEST;
  readonly type = 'entity.encoding.invalid';
}

/**
 * body-parser's `verify` hook, which sees the raw bytes: the decoder it uses would otherwise
 * replace bytes that are not UTF-8 with U+FFFD and the request would record altered text.
 */
export function verifyUtf8(_: IncomingMessage, __: unknown, body: Buffer): void {
  if (!isUtf8(body)) throw new InvalidEncoding('The request body is not valid UTF-8 text');
}
