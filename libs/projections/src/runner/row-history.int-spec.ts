import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { migrateDatabase } from '#database';
import { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/database.js';
import { CreateProjectionCheckpoints1763900000100 } from './projection-checkpoints.migrations.js';
import { CreateProjectionHistory1763900003200 } from './projection-history.migrations.js';
import { createRowHistory, hasRowHistory } from './row-history.js';

describe('row history', () => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase();
    await migrateDatabase(database.url, [
      CreateProjectionCheckpoints1763900000100,
      CreateProjectionHistory1763900003200,
    ]);
    dataSource = await new DataSource({ type: 'postgres', url: database.url }).initialize();
  });

  afterAll(async () => {
    await dataSource.destroy();
    await database.drop();
  });

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
