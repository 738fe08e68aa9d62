import { Injectable } from '@nestjs/common';
import { type JWTVerifyGetKey, createRemoteJWKSet, errors as joseErrors, jwtVerify } from 'jose';
import { verifiedHs256Claims } from './hs256.js';
import { type ClaimRules, type VerifiedToken, verifiedClaims } from './token-claims.js';
import { Unauthenticated } from './unauthenticated.js';
import { VerifiedTokens } from './verified-tokens.js';

export { Unauthenticated } from './unauthenticated.js';

/** Thirty days: JWT_MAX_LIFETIME_HOURS's default. */
export const DEFAULT_MAX_LIFETIME_SECONDS = 30 * 24 * 3600;

export type TokenVerification = (
  | { secret: string; issuer?: string; audience?: string }
  | { jwksUrl: string; issuer?: string; audience?: string }
) & { maxLifetimeSeconds?: number };

/**
 * Verifies bearer tokens signed with the shared secret (HS256, with `node:crypto`) or by an
 * identity provider (its JWKS, with jose), and keeps each verified token until it expires.
 */
@Injectable()
export class TokenVerifier {
  private readonly secret?: Buffer;
  private readonly jwks?: JWTVerifyGetKey;
  private readonly rules: ClaimRules;
  private readonly verified = new VerifiedTokens();

  constructor(verification: TokenVerification) {
    if ('secret' in verification) this.secret = Buffer.from(verification.secret, 'utf8');
    else this.jwks = createRemoteJWKSet(new URL(verification.jwksUrl));
    this.rules = {
      issuer: verification.issuer,
      audience: verification.audience,
      maxLifetimeSeconds: verification.maxLifetimeSeconds ?? DEFAULT_MAX_LIFETIME_SECONDS,
    };
  }

  async verify(token: string): Promise<VerifiedToken> {
    const known = this.verified.get(token);
    if (known) return known;
    const claims = this.secret
      ? verifiedHs256Claims(token, this.secret)
      : await this.claimsFromProvider(token);
    const verified = verifiedClaims(claims, this.rules);
    this.verified.add(token, verified);
    return verified;
  }

  /** The signature checked against the provider's keys; the claims are checked as for HS256. */
  private async claimsFromProvider(token: string): Promise<Record<string, unknown>> {
    try {
      return (await jwtVerify(token, this.jwks!)).payload;
    } catch (error) {
      throw new Unauthenticated(describeFailure(error));
    }
  }
}

function describeFailure(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) {
    return `The bearer token expired at ${new Date(Number(error.payload.exp) * 1000).toISOString()}`;
  }
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    return `The bearer token's ${error.claim} claim is not accepted: ${error.reason}`;
  }
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) {
    return 'The bearer token signature does not verify: it was not signed with a published key';
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
