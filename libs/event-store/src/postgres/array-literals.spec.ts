import pg from 'pg';
import { bareArray, textArray } from './array-literals.js';

describe('array literals', () => {
  it('quotes every text element and escapes its quotes and backslashes', () => {
    expect(textArray(['a', '', 'NULL', 'x,y', 'say "hi"', 'C:\\dir', '{}'])).toBe(
      '{"a","","NULL","x,y","say \\"hi\\"","C:\\\\dir","{}"}',
    );
    expect(textArray([])).toBe('{}');
  });

  it("reads back with node-postgres's text[] parser", () => {
    const values = ['plain', 'with "quotes"', 'back\\slash', 'NULL', ' spaced ', 'ünï €', '😀'];
    const parse = pg.types.getTypeParser(1009 as Parameters<typeof pg.types.getTypeParser>[0]); // text[]
    expect(parse(textArray(values))).toEqual(values);
  });

  it('joins bare elements', () => {
    expect(bareArray([1, 2, 30])).toBe('{1,2,30}');
    expect(bareArray([])).toBe('{}');
  });
});
