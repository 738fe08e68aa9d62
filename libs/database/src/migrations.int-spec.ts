import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.js';
import { runMigrations } from './migrations.js';

class CreateRollCall1763900000900 implements MigrationInterface {
  name = 'CreateRollCall1763900000900';

  async up(db: QueryRunner): Promise<void> {
    await db.query('CREATE TABLE roll_call (answered_at timestamptz NOT NULL DEFAULT now())');
    await db.query('INSERT INTO roll_call DEFAULT VALUES');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE roll_call');
  }
}

describe('runMigrations', () => {
  let database: TestDatabase;
  const dataSources: DataSource[] = [];

  async function connect(poolSize: number): Promise<DataSource> {
    const dataSource = new DataSource({
      type: 'postgres',
      url: database.url,
      poolSize,
      migrations: [CreateRollCall1763900000900],
    });
    dataSources.push(dataSource);
    return dataSource.initialize();
  }

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await Promise.all(dataSources.map((dataSource) => dataSource.destroy()));
    await database.drop();
  });

  it('runs each migration once when several processes start at the same time', async () => {
    // A pool of one connection: the migrations must run on the connection holding the lock.
    const starters = await Promise.all([connect(1), connect(1), connect(3)]);
    await Promise.all(starters.map((dataSource) => runMigrations(dataSource)));

    const [{ count }] = await starters[0].query('SELECT count(*)::int AS count FROM roll_call');
    expect(count).toBe(1);
  });
});
