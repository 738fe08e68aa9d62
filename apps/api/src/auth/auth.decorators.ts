import { type ExecutionContext, SetMetadata, createParamDecorator } from '@nestjs/common';
import { type Actor, type Role } from './actor.js';

export const PUBLIC_ROUTE = 'ledger:public';
export const REQUIRED_ROLES = 'ledger:roles';
export const QUERY_TOKEN = 'ledger:query-token';

/** Served without a token (health, the service description, the API docs). */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

/**
 * The route also takes the token as `?access_token=`, for EventSource, which cannot send
 * headers. Use a short-lived token from `POST /auth/stream-token`: URLs end up in logs.
 */
export const AllowQueryToken = () => SetMetadata(QUERY_TOKEN, true);

/** The route needs one of these roles; without this decorator any role may read it. */
export const Roles = (...roles: readonly Role[]) => SetMetadata(REQUIRED_ROLES, roles);

export type AuthenticatedRequest = { actor?: Actor };

/** The actor the auth guard verified. */
export const CurrentActor = createParamDecorator((_: unknown, context: ExecutionContext): Actor => {
  const actor = context.switchToHttp().getRequest<AuthenticatedRequest>().actor;
  if (!actor) throw new Error('CurrentActor used on a public route');
  return actor;
});
