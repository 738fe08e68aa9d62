/** The insurance schemes offices enroll people into. */
export const SCHEMES = [
  'compulsory-social-insurance',
  'voluntary-social-insurance',
  'health-insurance',
  'unemployment-insurance',
] as const;

export type Scheme = (typeof SCHEMES)[number];

export type SchemeDescription = {
  scheme: Scheme;
  name: string;
  /** How people join: through their employer, or individually through collection agents. */
  channel: 'employer' | 'individual' | 'both';
  /** The denominator coverage is measured against. */
  coverageBase: 'population' | 'working-age-population' | 'labour-force';
};

export const SCHEME_DESCRIPTIONS: readonly SchemeDescription[] = [
  {
    scheme: 'compulsory-social-insurance',
    name: 'Compulsory social insurance',
    channel: 'employer',
    coverageBase: 'working-age-population',
  },
  {
    scheme: 'voluntary-social-insurance',
    name: 'Voluntary social insurance',
    channel: 'individual',
    coverageBase: 'working-age-population',
  },
  {
    scheme: 'health-insurance',
    name: 'Health insurance (including household health insurance)',
    channel: 'both',
    coverageBase: 'population',
  },
  {
    scheme: 'unemployment-insurance',
    name: 'Unemployment insurance',
    channel: 'employer',
    coverageBase: 'labour-force',
  },
];
