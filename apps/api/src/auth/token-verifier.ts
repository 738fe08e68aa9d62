import { Injectable } from '@nestjs/common';
import {
  type JWTPayload,
  type JWTVerifyGetKey,
  createRemoteJWKSet,
  errors as joseErrors,
  jwtVerify,
} from 'jose';
import { type Actor, ROLES, type Role } from './actor.js';

export type TokenVerification =
  | { secret: string; issuer?: string; audience?: string }
  | { jwksUrl: string; issuer?: string; audience?: string };

/** The request carries no usable credentials; the message says what is wrong. */
export class Unauthenticated extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Unauthenticated';
  }
}

/** The claims a token carries besides the standard ones. */
export type LedgerClaims = { roles?: unknown; role?: unknown; organizationId?: unknown };

/** Verifies bearer tokens with a shared secret (HS256) or an identity provider's JWKS. */
@Injectable()
export class TokenVerifier {
  private readonly key: Uint8Array | JWTVerifyGetKey;

  constructor(private readonly verification: TokenVerification) {
    this.key =
      'secret' in verification
        ? new TextEncoder().encode(verification.secret)
        : createRemoteJWKSet(new URL(verification.jwksUrl));
  }

  async verify(token: string): Promise<Actor> {
    let payload: JWTPayload & LedgerClaims;
    try {
      ({ payload } = await jwtVerify<LedgerClaims>(token, this.key as Uint8Array, {
        issuer: this.verification.issuer,
        audience: this.verification.audience,
        algorithms: 'secret' in this.verification ? ['HS256'] : undefined,
      }));
    } catch (error) {
      throw new Unauthenticated(describeFailure(error));
    }
    if (typeof payload.sub !== 'string' || payload.sub === '') {
      throw new Unauthenticated('The bearer token has no subject (sub claim): it names no actor');
    }
    return {
      id: payload.sub,
      roles: rolesOf(payload),
      organizationId: typeof payload.organizationId === 'string' ? payload.organizationId : null,
    };
  }
}

function rolesOf({ roles, role }: LedgerClaims): Role[] {
  const claimed = Array.isArray(roles) ? roles : typeof role === 'string' ? [role] : [];
  return ROLES.filter((known) => claimed.includes(known));
}

function describeFailure(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) {
    return `The bearer token expired at ${new Date(Number(error.payload.exp) * 1000).toISOString()}`;
  }
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    return `The bearer token's ${error.claim} claim is not accepted: ${error.reason}`;
  }
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) {
    return 'The bearer token signature does not verify: it was not signed with this service key';
  }
  if (error instanceof joseErrors.JWKSNoMatchingKey) {
    return 'The bearer token was signed with a key the identity provider does not publish';
  }
  if (error instanceof joseErrors.JOSEAlgNotAllowed) {
    return `The bearer token's signing algorithm is not accepted: ${error.message}`;
  }
  if (error instanceof joseErrors.JWTInvalid || error instanceof joseErrors.JWSInvalid) {
    return `The bearer token is malformed: ${error.message}`;
  }
  if (error instanceof joseErrors.JOSEError)
    return `The bearer token is not accepted: ${error.message}`;
  throw error;
}
