import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { type IncomingMessage } from 'node:http';
import { READERS, type Role, hasAnyRole } from './actor.js';
import {
  type AuthenticatedRequest,
  PUBLIC_ROUTE,
  QUERY_TOKEN,
  REQUIRED_ROLES,
} from './auth.decorators.js';
import { NotPermitted } from './not-permitted.js';
import { TokenVerifier, Unauthenticated } from './token-verifier.js';

/** Every route needs a valid bearer token and one of its roles, unless marked `@Public()`. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: TokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const request = context.switchToHttp().getRequest<IncomingMessage & AuthenticatedRequest>();
    const isFeed = this.reflector.getAllAndOverride<boolean>(QUERY_TOKEN, targets) ?? false;
    const queryToken = isFeed ? tokenInQuery(request) : undefined;
    const { actor, forChangeFeedsOnly } = await this.verifier.verify(
      queryToken ?? bearerToken(request),
    );
    if (queryToken && !forChangeFeedsOnly) {
      // URLs end up in logs and browser histories: only a two-minute stream token belongs there.
      throw new Unauthenticated(
        'A token in the URL (access_token) must be a stream token from POST /auth/stream-token; ' +
          'send other tokens in the Authorization header',
      );
    }
    if (forChangeFeedsOnly && !isFeed) {
      throw new NotPermitted(
        'A stream token is good only for reading the change feeds (/feeds/...); ' +
          'use your own token for this request',
      );
    }
    const required = this.reflector.getAllAndOverride<Role[]>(REQUIRED_ROLES, targets) ?? READERS;
    if (!hasAnyRole(actor, required)) {
      throw new NotPermitted(
        `This request needs the role ${required.join(' or ')}; the token has ` +
          (actor.roles.length > 0 ? `the role ${actor.roles.join(', ')}` : 'no known role'),
      );
    }
    request.actor = actor;
    return true;
  }
}

function bearerToken(request: IncomingMessage): string {
  const header = request.headers.authorization;
  if (!header) {
    throw new Unauthenticated(
      'Authentication required: send an Authorization: Bearer <token> header ' +
        '(`npm run cli -- token --help` mints one for local use)',
    );
  }
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw new Unauthenticated('The Authorization header must read: Bearer <token>');
  return match[1];
}

function tokenInQuery(request: IncomingMessage): string | undefined {
  const token = new URL(request.url ?? '/', 'http://query').searchParams.get('access_token');
  return token || undefined;
}
