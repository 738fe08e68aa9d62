import { describe, expect, it } from '@jest/globals';
import { SCHEMES, SCHEME_DESCRIPTIONS } from '../shared/schemes.js';
import {
  SCHEME_GROUP_DESCRIPTIONS,
  coverageBaseOf,
  isSchemeScope,
  membersOf,
} from './scheme-groups.js';

describe('scheme groups', () => {
  it('counts social insurance as compulsory plus voluntary', () => {
    expect(membersOf('social-insurance')).toEqual([
      'compulsory-social-insurance',
      'voluntary-social-insurance',
    ]);
  });

  it('counts every scheme in all-schemes', () => {
    expect(membersOf('all-schemes')).toEqual(SCHEMES);
  });

  it('takes a scheme as the only member of its own scope', () => {
    expect(membersOf('health-insurance')).toEqual(['health-insurance']);
  });

  it("gives a group the coverage base its members share, and none when they don't", () => {
    for (const { members, coverageBase } of SCHEME_GROUP_DESCRIPTIONS) {
      const bases = new Set(members.map((scheme) => coverageBaseOf(scheme)));
      expect(coverageBase).toBe(bases.size === 1 ? [...bases][0] : null);
    }
    expect(coverageBaseOf('social-insurance')).toBe('working-age-population');
    expect(coverageBaseOf('all-schemes')).toBeNull();
  });

  it('knows the schemes and the groups, and nothing else', () => {
    expect(SCHEME_DESCRIPTIONS.every(({ scheme }) => isSchemeScope(scheme))).toBe(true);
    expect(isSchemeScope('social-insurance')).toBe(true);
    expect(isSchemeScope('pension')).toBe(false);
  });
});
