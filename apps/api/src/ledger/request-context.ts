import { type ExecutionContext, createParamDecorator } from '@nestjs/common';
import { type IncomingMessage } from 'node:http';
import { randomUUID } from 'node:crypto';
import { type Actor } from '../auth/actor.js';
import { type AuthenticatedRequest } from '../auth/auth.decorators.js';
import { correlationIdOf } from '../correlation-id.js';
import { InvalidRequest } from '../http-errors/request-validation.js';
import { ACCEPTABLE_IDEMPOTENCY_KEY, IDEMPOTENCY_KEY_HEADER } from './idempotency.js';

/** What a command handler needs to know about the HTTP request that carried it. */
export type RequestContext = {
  actor: Actor;
  correlationId: string;
  idempotencyKey?: string;
  receivedAt: Date;
};

/** The verified actor, the correlation id and the Idempotency-Key header, checked. */
export const CommandContext = createParamDecorator(
  (_: unknown, context: ExecutionContext): RequestContext => {
    const request = context.switchToHttp().getRequest<IncomingMessage & AuthenticatedRequest>();
    if (!request.actor) throw new Error('CommandContext used on a public route');
    const key = request.headers[IDEMPOTENCY_KEY_HEADER];
    if (key !== undefined && (typeof key !== 'string' || !ACCEPTABLE_IDEMPOTENCY_KEY.test(key))) {
      throw new InvalidRequest([
        {
          field: 'Idempotency-Key',
          reason: 'must be 1 to 200 letters, digits, or . _ : - characters',
        },
      ]);
    }
    return {
      actor: request.actor,
      correlationId: correlationIdOf(request) ?? randomUUID(),
      idempotencyKey: key,
      receivedAt: new Date(),
    };
  },
);
