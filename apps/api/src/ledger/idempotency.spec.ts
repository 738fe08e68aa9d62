import { describe, expect, it } from '@jest/globals';
import { hashRequest } from './idempotency.js';

describe('hashRequest', () => {
  it('hashes the same fields in any order alike', () => {
    expect(hashRequest('RegisterUnit', { unitId: 'HP', name: 'Hai Phong' })).toBe(
      hashRequest('RegisterUnit', { name: 'Hai Phong', unitId: 'HP' }),
    );
  });

  it('tells apart requests that differ only in a date, so a reused key with another date is refused', () => {
    expect(hashRequest('SetDeadline', { on: new Date('2024-10-20T00:00:00Z') })).not.toBe(
      hashRequest('SetDeadline', { on: new Date('2024-10-21T00:00:00Z') }),
    );
  });
});
