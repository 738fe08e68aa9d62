import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import {
  type ProjectionTestDatabase,
  projectionTestDatabase,
} from '../testing/projection-test-database.js';
import type { Projection } from './projection.js';
import { digestReadModels } from './read-model-digest.js';

const tally: Projection = { name: 'tally', tables: ['tally'], apply: async () => undefined };

describe('read-model digests', () => {
  let database: ProjectionTestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await projectionTestDatabase();
    dataSource = database.dataSource;
    for (const table of ['tally', 'tally_copy']) {
      await dataSource.query(
        `CREATE TABLE ${table} (id text PRIMARY KEY, amount bigint, at timestamptz)`,
      );
    }
    await dataSource.query(
      `INSERT INTO tally VALUES ('a', 1, '2025-01-01T00:00:00Z'), ('b', 2, NULL)`,
    );
    await dataSource.query(
      `INSERT INTO tally_copy VALUES ('b', 2, NULL), ('a', 1, '2025-01-01T07:00:00+07:00')`,
    );
  });

  afterAll(() => database.drop());

  it('gives equal digests to the same rows in another order', async () => {
    const [live] = await digestReadModels(dataSource, [tally]);
    const [copy] = await digestReadModels(dataSource, [tally], (table) => `${table}_copy`);
    expect(copy).toEqual(live);
    expect(live.tables).toEqual([{ table: 'tally', rows: 2, digest: expect.any(String) }]);
  });

  it('gives a different digest when one cell differs', async () => {
    const [before] = await digestReadModels(dataSource, [tally]);
    await dataSource.query(`UPDATE tally_copy SET amount = 3 WHERE id = 'b'`);
    const [copy] = await digestReadModels(dataSource, [tally], (table) => `${table}_copy`);
    expect(copy.digest).not.toBe(before.digest);
    expect(copy.tables[0].digest).not.toBe(before.tables[0].digest);
  });
});
