import { describe, expect, it } from '@jest/globals';
import { type VerifiedToken } from './token-claims.js';
import { CACHE_SECONDS, VerifiedTokens } from './verified-tokens.js';

const NOW = Date.parse('2026-12-01T12:00:00Z');
const verified = (expiresAt: number): VerifiedToken => ({
  actor: { id: 'alice', roles: ['manager'], organizationId: null },
  forChangeFeedsOnly: false,
  expiresAt,
});

describe('VerifiedTokens', () => {
  it('keeps a token until it expires', () => {
    const tokens = new VerifiedTokens();
    tokens.add('a', verified(NOW + 60_000), NOW);
    expect(tokens.get('a', NOW + 59_999)).toBeDefined();
    expect(tokens.get('a', NOW + 60_000)).toBeUndefined();
  });

  it(`trusts a long-lived token for ${CACHE_SECONDS} s at most before checking it again`, () => {
    const tokens = new VerifiedTokens();
    tokens.add('a', verified(NOW + 86_400_000), NOW);
    expect(tokens.get('a', NOW + CACHE_SECONDS * 1000 - 1)).toBeDefined();
    expect(tokens.get('a', NOW + CACHE_SECONDS * 1000)).toBeUndefined();
  });

  it('makes room by dropping the oldest token', () => {
    const tokens = new VerifiedTokens(2);
    for (const token of ['a', 'b', 'c']) tokens.add(token, verified(NOW + 60_000), NOW);
    expect(tokens.size).toBe(2);
    expect(tokens.get('a', NOW)).toBeUndefined();
    expect(tokens.get('c', NOW)).toBeDefined();
  });
});
