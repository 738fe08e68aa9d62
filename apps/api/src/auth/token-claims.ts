import { type Actor, ROLES, type Role } from './actor.js';
import { Unauthenticated } from './unauthenticated.js';

/** The `purpose` claim of the short-lived tokens `POST /auth/stream-token` mints. */
export const CHANGE_FEEDS_PURPOSE = 'change-feeds';

/** What the service demands of a token's claims besides its signature. */
export type ClaimRules = {
  issuer?: string;
  audience?: string;
  /** The longest a token may live from its issue (or from now), in seconds. */
  maxLifetimeSeconds: number;
};

/** A token whose signature and claims passed: whom it names, and until when. */
export type VerifiedToken = {
  actor: Actor;
  /** A stream token: good for reading the change feeds, nothing else. */
  forChangeFeedsOnly: boolean;
  /** When it expires, in milliseconds since the epoch. */
  expiresAt: number;
};

/**
 * Checks the registered claims (`exp` required, `nbf`, `iat`, `iss`, `aud`, `sub`) and reads the
 * ledger's own: `roles` (an array of role names) or `role` (one), `organizationId`, `purpose`.
 */
export function verifiedClaims(
  claims: Record<string, unknown>,
  rules: ClaimRules,
  now = Date.now(),
): VerifiedToken {
  const seconds = Math.floor(now / 1000);
  const { exp, nbf, iat, iss, aud, sub } = claims;
  if (typeof exp !== 'number' || !Number.isFinite(exp)) {
    throw new Unauthenticated(
      'The bearer token has no expiry (exp claim): every token must expire',
    );
  }
  if (exp <= seconds) {
    throw new Unauthenticated(`The bearer token expired at ${new Date(exp * 1000).toISOString()}`);
  }
  if (nbf !== undefined && (typeof nbf !== 'number' || nbf > seconds)) {
    throw new Unauthenticated("The bearer token's nbf claim is not accepted: not valid yet");
  }
  if (iat !== undefined && typeof iat !== 'number') {
    throw new Unauthenticated("The bearer token's iat claim is not accepted: not a number");
  }
  const lifetime = exp - Math.min(seconds, typeof iat === 'number' ? iat : seconds);
  if (lifetime > rules.maxLifetimeSeconds) {
    throw new Unauthenticated(
      `The bearer token lives ${lifetime} s; the most this service accepts is ` +
        `${rules.maxLifetimeSeconds} s (JWT_MAX_LIFETIME_HOURS)`,
    );
  }
  if (rules.issuer !== undefined && iss !== rules.issuer) {
    throw new Unauthenticated(`The bearer token's iss claim is not accepted: not ${rules.issuer}`);
  }
  if (
    rules.audience !== undefined &&
    !(Array.isArray(aud) ? aud : [aud]).includes(rules.audience)
  ) {
    throw new Unauthenticated(
      `The bearer token's aud claim is not accepted: not ${rules.audience}`,
    );
  }
  if (typeof sub !== 'string' || sub === '') {
    throw new Unauthenticated('The bearer token has no subject (sub claim): it names no actor');
  }
  return {
    actor: {
      id: sub,
      roles: rolesOf(claims),
      organizationId: typeof claims.organizationId === 'string' ? claims.organizationId : null,
    },
    forChangeFeedsOnly: claims.purpose === CHANGE_FEEDS_PURPOSE,
    expiresAt: exp * 1000,
  };
}

/**
 * `roles` must be an array of strings and `role` a string; names other than the service's
 * roles are ignored, since an identity provider's tokens carry other applications' roles too.
 */
function rolesOf({ roles, role }: Record<string, unknown>): Role[] {
  if (
    roles !== undefined &&
    !(Array.isArray(roles) && roles.every((name) => typeof name === 'string'))
  ) {
    throw new Unauthenticated("The bearer token's roles claim must be an array of role names");
  }
  if (role !== undefined && typeof role !== 'string') {
    throw new Unauthenticated("The bearer token's role claim must be one role name");
  }
  const claimed: unknown[] = [...(roles ?? []), ...(role === undefined ? [] : [role])];
  return ROLES.filter((known) => claimed.includes(known));
}
