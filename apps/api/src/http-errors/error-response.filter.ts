import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
  NotFoundException,
} from '@nestjs/common';
import { type HttpAdapterHost } from '@nestjs/core';
import { type IncomingMessage, STATUS_CODES } from 'node:http';
import { correlationIdOf } from '../correlation-id.js';
import { type ErrorResponse } from './error-response.js';
import { DomainError } from '#domain';
import { Unauthenticated } from '../auth/token-verifier.js';
import { BatchRowRefused, InvalidBatch } from '../imports/batch-errors.js';
import { answerFor, answerForRefusal } from './known-errors.js';
import { loggableUrl } from './loggable-url.js';
import { InvalidRequest } from './request-validation.js';
import { RETRY_AFTER_SECONDS, isDatabaseUnavailable } from './database-unavailable.js';

/** What body-parser's errors carry; they reach filters as the cause of an HttpException. */
type BodyParserError = { type?: string; limit?: number };

type RequestLine = { method: string; url: string };

/** Answers every failed request with an `ErrorResponse`: the one place errors become HTTP. */
@Catch()
export class ErrorResponseFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const { httpAdapter } = this.adapterHost;
    const request = host.switchToHttp().getRequest<IncomingMessage>();
    const response = host.switchToHttp().getResponse<unknown>();
    const line: RequestLine = {
      method: httpAdapter.getRequestMethod(request),
      url: httpAdapter.getRequestUrl(request),
    };
    const correlationId = correlationIdOf(request);
    const body: ErrorResponse = {
      ...(this.describe(exception, line) ?? this.unexpected(exception, line, correlationId)),
      ...(correlationId && { correlationId }),
    };
    if (exception instanceof Unauthenticated && !httpAdapter.isHeadersSent(response)) {
      httpAdapter.setHeader(response, 'WWW-Authenticate', 'Bearer');
    }
    if (body.statusCode === 503 && !httpAdapter.isHeadersSent(response)) {
      // Every 503 is temporary (the database away, a snapshot being built): say when to retry.
      httpAdapter.setHeader(response, 'Retry-After', String(RETRY_AFTER_SECONDS));
    }
    if (httpAdapter.isHeadersSent(response)) {
      // A streamed response failed half-way: too late for a status code.
      httpAdapter.end(response);
      return;
    }
    httpAdapter.reply(response, body, body.statusCode);
  }

  /** The answer for an expected failure, whose message is meant for the client. */
  private describe(exception: unknown, { method, url }: RequestLine): ErrorResponse | undefined {
    if (isDatabaseUnavailable(exception)) {
      // An outage, not a bug: one line, no stack; the client retries.
      this.logger.warn(`${method} ${url}: the database is unavailable (${errorText(exception)})`);
      return {
        statusCode: HttpStatus.SERVICE_UNAVAILABLE,
        error: 'database_unavailable',
        message: `The database cannot be reached right now; retry in a few seconds.`,
      };
    }
    if (exception instanceof InvalidBatch) {
      return {
        statusCode: HttpStatus.BAD_REQUEST,
        error: 'invalid_batch',
        message: exception.message,
        rows: exception.rows,
      };
    }
    if (exception instanceof BatchRowRefused) {
      const refusal = this.describe(exception.refusal, { method, url });
      if (!refusal) return undefined;
      const { line, command } = exception;
      return {
        statusCode: refusal.statusCode,
        error: refusal.error,
        message: exception.message,
        rows: [
          { line, command, error: refusal.error, message: refusal.message, fields: refusal.fields },
        ],
      };
    }
    if (exception instanceof DomainError) {
      const { status, error } = answerForRefusal(exception);
      return {
        statusCode: status,
        error,
        message: exception.message,
        ...(exception.field && { fields: [{ field: exception.field, reason: exception.message }] }),
      };
    }
    const known = answerFor(exception);
    if (known) {
      return {
        statusCode: known.status,
        error: known.error,
        message: (exception as Error).message,
      };
    }
    if (exception instanceof InvalidRequest) {
      return {
        statusCode: HttpStatus.BAD_REQUEST,
        error: 'validation_failed',
        message: exception.message,
        fields: exception.fields,
      };
    }
    if (!(exception instanceof HttpException)) return undefined;
    const statusCode = exception.getStatus();
    if (statusCode >= 500) return undefined;
    const cause = exception.cause as BodyParserError | undefined;
    if (cause?.type === 'entity.parse.failed') {
      return {
        statusCode,
        error: 'malformed_json',
        message: `The request body is not valid JSON: ${exception.message}`,
      };
    }
    if (cause?.type === 'entity.encoding.invalid') {
      return {
        statusCode,
        error: 'invalid_encoding',
        message: exception.message,
        fields: [{ field: '(body)', reason: 'must be UTF-8 text' }],
      };
    }
    if (cause?.type === 'entity.too.large') {
      return {
        statusCode,
        error: 'payload_too_large',
        message: `The request body is larger than the limit of ${cause.limit} bytes.`,
      };
    }
    if (exception instanceof NotFoundException && exception.message === `Cannot ${method} ${url}`) {
      // Nest's own answer to a request that matched no route.
      return { statusCode, error: 'not_found', message: `No route ${method} ${url.split('?')[0]}` };
    }
    return { statusCode, error: codeOf(statusCode), message: messageOf(exception) };
  }

  /** A fault of ours: logged with its stack, while the client learns nothing of its insides. */
  private unexpected(
    exception: unknown,
    { method, url }: RequestLine,
    correlationId?: string,
  ): ErrorResponse {
    const error = exception instanceof Error ? exception : new Error(String(exception));
    this.logger.error(
      `${method} ${loggableUrl(url)} failed (correlation id ${correlationId}): ${error.message}`,
      error.stack,
    );
    const statusCode =
      exception instanceof HttpException ? exception.getStatus() : HttpStatus.INTERNAL_SERVER_ERROR;
    if (statusCode === HttpStatus.INTERNAL_SERVER_ERROR) {
      return {
        statusCode,
        error: 'internal_error',
        message: 'An unexpected error occurred. It has been logged.',
      };
    }
    return { statusCode, error: codeOf(statusCode), message: STATUS_CODES[statusCode] ?? 'Error' };
  }
}

function errorText(exception: unknown): string {
  return exception instanceof Error ? exception.message || exception.name : String(exception);
}

/** `Payload Too Large` becomes `payload_too_large`. */
function codeOf(status: number): string {
  return (STATUS_CODES[status] ?? `status ${status}`)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');
}

function messageOf(exception: HttpException): string {
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : exception.message;
}
