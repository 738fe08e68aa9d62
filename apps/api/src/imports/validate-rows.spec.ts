import { describe, expect, it } from '@jest/globals';
import { useCases } from '../use-cases.js';
import { validateRows } from './validate-rows.js';

describe('validateRows', () => {
  const cells = {
    unitId: 'HP',
    name: 'Hai Phong',
    level: 'city',
    effectiveDate: '2024-01-01',
  };

  it('refuses a CSV row whose cell holds a NUL, naming its line and field', () => {
    const { valid, problems } = validateRows(
      [
        { line: 2, command: 'RegisterUnit', fields: cells },
        { line: 3, command: 'RegisterUnit', fields: { ...cells, name: 'Hai\u0000Phong' } },
      ],
      useCases,
      { fromText: true },
    );
    expect(valid.map(({ line }) => line)).toEqual([2]);
    expect(problems).toEqual([
      expect.objectContaining({
        line: 3,
        error: 'validation_failed',
        fields: [{ field: 'name', reason: expect.stringMatching(/NUL/) }],
      }),
    ]);
  });

  it('refuses a row with a __proto__ field instead of dropping it', () => {
    const fields = JSON.parse('{"unitId":"HP","__proto__":{"name":"x"}}') as Record<
      string,
      unknown
    >;
    const { problems } = validateRows([{ line: 1, command: 'RegisterUnit', fields }], useCases);
    expect(problems[0].fields).toEqual([
      { field: '__proto__', reason: 'is not an accepted field' },
    ]);
  });
});
