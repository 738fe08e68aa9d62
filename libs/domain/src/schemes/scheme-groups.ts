import {
  SCHEMES,
  SCHEME_DESCRIPTIONS,
  type Scheme,
  type SchemeDescription,
} from '../shared/schemes.js';

/** Named baskets of schemes, as provinces report them ("social insurance" is two schemes). */
export const SCHEME_GROUPS = ['social-insurance', 'all-schemes'] as const;
export type SchemeGroup = (typeof SCHEME_GROUPS)[number];

/** What a plan, a read or an objective counts: one scheme or a group of them. */
export type SchemeScope = Scheme | SchemeGroup;
export const SCHEME_SCOPES: readonly SchemeScope[] = [...SCHEMES, ...SCHEME_GROUPS];

export type CoverageBase = SchemeDescription['coverageBase'];

export type SchemeGroupDescription = {
  group: SchemeGroup;
  name: string;
  members: readonly Scheme[];
  /** The denominator the group's coverage is measured against; null when none is meaningful. */
  coverageBase: CoverageBase | null;
  /** Why the denominator is what it is. */
  basis: string;
};

export const SCHEME_GROUP_DESCRIPTIONS: readonly SchemeGroupDescription[] = [
  {
    group: 'social-insurance',
    name: 'Social insurance (compulsory and voluntary)',
    members: ['compulsory-social-insurance', 'voluntary-social-insurance'],
    coverageBase: 'working-age-population',
    basis:
      'Both members are measured against the working-age population and nobody is in both, ' +
      'so their participants add up to one share of it.',
  },
  {
    group: 'all-schemes',
    name: 'Every scheme',
    members: SCHEMES,
    coverageBase: null,
    basis:
      'One person is counted once per scheme they are in and the schemes have different ' +
      'denominators, so the sum is a count of participations, not a share of any population.',
  },
];

export function isSchemeGroup(scope: string): scope is SchemeGroup {
  return (SCHEME_GROUPS as readonly string[]).includes(scope);
}

export function isSchemeScope(scope: string): scope is SchemeScope {
  return SCHEME_SCOPES.includes(scope as SchemeScope);
}

/** The schemes whose figures a scope adds up: the scheme itself, or the group's members. */
export function membersOf(scope: SchemeScope): readonly Scheme[] {
  if (!isSchemeGroup(scope)) return [scope];
  return SCHEME_GROUP_DESCRIPTIONS.find(({ group }) => group === scope)!.members;
}

/** The denominator a scope's coverage is measured against, or null when it has none. */
export function coverageBaseOf(scope: SchemeScope): CoverageBase | null {
  if (isSchemeGroup(scope)) {
    return SCHEME_GROUP_DESCRIPTIONS.find(({ group }) => group === scope)!.coverageBase;
  }
  return SCHEME_DESCRIPTIONS.find(({ scheme }) => scheme === scope)!.coverageBase;
}
