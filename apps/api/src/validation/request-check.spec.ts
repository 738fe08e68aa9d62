import { describe, expect, it } from '@jest/globals';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { createRequire } from 'node:module';
import 'reflect-metadata';
import { AllocatePlanRequest } from '../plans/allocate-plan/allocate-plan.request.dto.js';
import { useCases } from '../use-cases.js';
import { RequestCheck } from './request-check.js';

/** Each request class's fields with their OpenAPI examples: a row that often passes. */
function exampleRow(requestClass: new () => object): Record<string, unknown> {
  const prototype = requestClass.prototype as object;
  const names = (Reflect.getMetadata('swagger/apiModelPropertiesArray', prototype) ??
    []) as string[];
  const row: Record<string, unknown> = {};
  for (const name of names.map((entry) => entry.slice(1))) {
    const property = Reflect.getMetadata('swagger/apiModelProperties', prototype, name) as {
      example?: unknown;
      enum?: unknown[];
    };
    row[name] = property.example ?? property.enum?.[0] ?? 'X-1';
  }
  return row;
}

/** Values that break one rule or another, or none: each tried in every field. */
const ODD_VALUES: unknown[] = [
  null,
  42,
  -1,
  1.5,
  0,
  '',
  ' ',
  'x'.repeat(2001),
  'not an id!',
  '2024-02-30',
  '1900-01-01',
  '2025-09',
  '2099-12-31',
  true,
  [],
  ['A-1', 'A-1'],
  ['A-1', 'not an id!'],
  {},
  { a: 1 },
];

/** The example row, and many rows one change away from it (or two). */
function rowsAround(example: Record<string, unknown>): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [example, { ...example, colour: 'red' }];
  const fields = Object.keys(example);
  const required: Record<string, unknown> = {};
  for (const field of fields) {
    const { [field]: _, ...without } = example;
    rows.push(without);
    for (const value of ODD_VALUES) rows.push({ ...example, [field]: value });
    // Another field's example: dates in a date's place, ids in an id's.
    for (const other of fields) rows.push({ ...example, [field]: example[other] });
    if (typeof example[field] === 'string') {
      required[field] = example[field];
      rows.push({ ...example, [field]: `${example[field] as string}!` });
      rows.push({ ...without, [`${field}s`]: example[field] });
    }
  }
  rows.push(required);
  return rows;
}

const OPTIONS = { whitelist: true, forbidNonWhitelisted: true };

type RequestClass = new () => object;

describe('RequestCheck', () => {
  const checked = [...useCases.values()].filter(({ request }) => RequestCheck.of(request));

  it('takes the classes of plain fields and leaves nested ones to class-validator', () => {
    expect(RequestCheck.of(useCases.get('EnrollParticipant')!.request)).toBeDefined();
    expect(RequestCheck.of(useCases.get('MergeUnits')!.request)).toBeDefined();
    expect(RequestCheck.of(AllocatePlanRequest)).toBeUndefined();
    expect(checked.length).toBeGreaterThan(useCases.size / 2);
  });

  it.each(checked.map(({ name, request }) => [name, request] as const))(
    'passes a %s row exactly when validateSync finds nothing wrong, building the same request',
    (_, requestClass) => {
      const check = RequestCheck.of(requestClass)!;
      let passed = 0;
      let failed = 0;
      for (const row of rowsAround(exampleRow(requestClass))) {
        const expected = plainToInstance(requestClass, row);
        const errors = validateSync(expected, OPTIONS);
        const request = check.instance(row);
        expect({ row, passes: check.passes(request) }).toEqual({
          row,
          passes: errors.length === 0,
        });
        if (errors.length > 0) {
          failed++;
          continue;
        }
        passed++;
        expect(Object.getPrototypeOf(request)).toBe(requestClass.prototype);
        expect(request).toEqual(expected);
        // The same keys in the same order: a batch's idempotency hash and the CLI's body
        // are written from them.
        expect(Object.keys(request)).toEqual(Object.keys(expected));
      }
      expect(passed).toBeGreaterThan(0);
      expect(failed).toBeGreaterThan(0);
    },
  );

  it('builds without class-transformer only classes that carry none of its decorators', () => {
    // class-transformer keeps its metadata out of its public API; the test reads it to prove
    // that `instance` builds what `plainToInstance` would.
    const { defaultMetadataStorage } = createRequire(import.meta.url)(
      'class-transformer/cjs/storage.js',
    ) as { defaultMetadataStorage: Record<string, Map<RequestClass, Map<string, unknown>>> };
    const stores = [
      '_typeMetadatas',
      '_transformMetadatas',
      '_exposeMetadatas',
      '_excludeMetadatas',
    ].map((name) => defaultMetadataStorage[name]);
    const decorated = (requestClass: RequestClass) =>
      stores.some((store) =>
        [...store.keys()].some(
          (target) => target === requestClass || requestClass.prototype instanceof target,
        ),
      );
    expect(decorated(AllocatePlanRequest)).toBe(true);
    expect(checked.filter(({ request }) => decorated(request)).map(({ name }) => name)).toEqual([]);
  });
});
