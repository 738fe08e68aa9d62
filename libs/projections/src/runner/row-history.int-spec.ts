import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import {
  type ProjectionTestDatabase,
  projectionTestDatabase,
} from '../testing/projection-test-database.js';
import { createRowHistory, hasRowHistory } from './row-history.js';

describe('row history', () => {
  let database: ProjectionTestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await projectionTestDatabase({ runnerTables: true });
    dataSource = database.dataSource;
  });

  afterAll(() => database.drop());

  it("creates a copy's history in the copy's schema, leaving the one further along the path", async () => {
    await dataSource.query('CREATE TABLE tally (stream_id text PRIMARY KEY, amount bigint)');
    await createRowHistory(dataSource, 'tally');
    await dataSource.query('CREATE SCHEMA copies');
    await dataSource.query('CREATE TABLE copies.tally (LIKE public.tally INCLUDING ALL)');

    await dataSource.transaction(async (manager) => {
      await manager.query('SET LOCAL search_path TO copies, public');
      expect(await hasRowHistory(manager, 'tally')).toBe(false);
      await createRowHistory(manager, 'tally');
    });

    expect(await hasRowHistory(dataSource, 'public.tally')).toBe(true);
    expect(await hasRowHistory(dataSource, 'copies.tally')).toBe(true);
  });
});
