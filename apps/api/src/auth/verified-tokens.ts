import { type VerifiedToken } from './token-claims.js';

/** Enough for every client of a busy service; the oldest entry makes room for a new one. */
export const CACHED_TOKENS = 10_000;

/**
 * How long a verified token is trusted without checking it again. An identity provider may
 * withdraw a key from its JWKS; a token signed with it is refused at most this long after.
 */
export const CACHE_SECONDS = 300;

/**
 * Tokens already verified, so that a client sending the same token with every request costs
 * one look-up instead of a signature check. Entries end when the token expires or after
 * `CACHE_SECONDS`, whichever is first. The cache lives in memory: a new secret takes effect at
 * restart, which empties it.
 */
export class VerifiedTokens {
  private readonly entries = new Map<string, { verified: VerifiedToken; until: number }>();

  constructor(private readonly capacity = CACHED_TOKENS) {}

  get(token: string, now = Date.now()): VerifiedToken | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    if (entry.until > now) return entry.verified;
    this.entries.delete(token);
    return undefined;
  }

  add(token: string, verified: VerifiedToken, now = Date.now()): void {
    if (this.entries.size >= this.capacity && !this.entries.has(token)) {
      this.entries.delete(this.entries.keys().next().value!);
    }
    this.entries.set(token, {
      verified,
      until: Math.min(verified.expiresAt, now + CACHE_SECONDS * 1000),
    });
  }

  get size(): number {
    return this.entries.size;
  }
}
