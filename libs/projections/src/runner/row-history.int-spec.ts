import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import {
  type ProjectionTestDatabase,
  projectionTestDatabase,
} from '../testing/projection-test-database.js';
import { randomInt } from 'node:crypto';
import {
  atBatchPosition,
  createRowHistory,
  hasRowHistory,
  historyTable,
  rowsAtBoundary,
} from './row-history.js';
import { IndexRowHistoryPositions1763900006300 } from '../known-at/history-index.migrations.js';
import {
  IndexPresentVersions1763900006610,
  IndexVersionsByEnd1763900006620,
  installSharedRecorder,
  KeepVersionStartOnRows1763900006640,
  RecordWithOneProbe1763900006630,
} from './row-history.migrations.js';

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

  it('finds the versions current at a position by their ends, reaching the heap for those only', async () => {
    await dataSource.query('CREATE TABLE counts (unit text PRIMARY KEY, amount bigint)');
    await createRowHistory(dataSource, 'counts');
    for (let batch = 1; batch <= 20; batch++) {
      await dataSource.transaction(async (manager) => {
        await manager.query(`SELECT ${atBatchPosition('$1')}`, [String(batch * 10)]);
        await manager.query(
          `INSERT INTO counts SELECT 'u' || n, $1 FROM generate_series(1, 50) n
           ON CONFLICT (unit) DO UPDATE SET amount = excluded.amount`,
          [batch],
        );
      });
    }
    // An update in each batch after the first: a version each; the inserts, none.
    const [{ versions }] = await dataSource.query(
      `SELECT count(*)::int AS versions FROM ${historyTable('counts')}`,
    );
    expect(versions).toBe(950);
    const at = rowsAtBoundary('counts', ['unit', 'amount'], 55);
    const plan = await dataSource.transaction(async (manager) => {
      await manager.query('SET LOCAL enable_seqscan = off');
      await manager.query('SET LOCAL enable_bitmapscan = off');
      return (await manager.query(`EXPLAIN ${at}`)).map((row: Record<string, string>) =>
        Object.values(row).join(''),
      );
    });
    // The versions current at P: both conditions checked on the index's entries, before the heap.
    expect(plan.join('\n')).toMatch(
      /Index Scan using counts__history_valid_to_valid_from_idx on counts__history .*\n\s*Index Cond: \(\(valid_to > 55\) AND \(valid_from <= 55\)\)/,
    );
    const read = async () => dataSource.query(`SELECT * FROM (${at}) t ORDER BY unit`);
    const rows = await read();
    expect(new Set(rows.map((row: { amount: string }) => row.amount))).toEqual(new Set(['5']));
    expect(rows).toHaveLength(50);
    // Before the first batch, nothing: the live rows began later.
    expect(
      await dataSource.query(
        `SELECT count(*)::int AS n FROM (${rowsAtBoundary('counts', ['unit'], 9)}) t`,
      ),
    ).toEqual([{ n: 0 }]);

    // The migrations between the designs: a B-tree of valid_to and a GiST range index, full at
    // first, then partial; then a B-tree of (valid_to, valid_from, absent); now rows that keep
    // their start and a B-tree of (valid_to, valid_from).
    const indexes = async (): Promise<{ oid: number; definition: string }[]> =>
      (
        await dataSource.query(
          `SELECT x.indexrelid::int AS oid, pg_get_indexdef(x.indexrelid) AS definition
             FROM pg_index x WHERE x.indrelid = to_regclass($1) AND NOT x.indisunique
            ORDER BY 2`,
          [historyTable('counts')],
        )
      ).map((row: { oid: number; definition: string }) => ({
        oid: row.oid,
        definition: row.definition.replace(/^.* USING /, ''),
      }));
    const definitions = async () => (await indexes()).map((index) => index.definition).sort();
    const starts = new KeepVersionStartOnRows1763900006640();
    const byEnd = new IndexVersionsByEnd1763900006620();
    const partial = new IndexPresentVersions1763900006610();
    const runner = dataSource.createQueryRunner();
    try {
      await starts.down(runner);
      expect(await definitions()).toEqual(['btree (valid_to, valid_from, absent)']);
      await byEnd.down(runner);
      expect(await definitions()).toEqual([
        'btree (valid_to)',
        'gist (int8range(valid_from, valid_to)) WHERE (NOT absent)',
      ]);
      await partial.down(runner);
      expect(await definitions()).toEqual([
        'btree (valid_to)',
        'gist (int8range(valid_from, valid_to))',
      ]);
      await partial.up();
      await byEnd.up(runner);
      expect(await definitions()).toEqual(['btree (valid_to, valid_from, absent)']);
      // Run again (a history made since): the index is kept, not built again.
      const before = await indexes();
      await byEnd.up(runner);
      expect(await indexes()).toEqual(before);
      await starts.up(runner);
      expect(await definitions()).toEqual(['btree (valid_to, valid_from)']);
      expect(await read()).toEqual(rows);
    } finally {
      await runner.release();
    }
  });

  it('brings a history of the first design to the one createRowHistory makes', async () => {
    // The first design: no valid_from, the key's index only; and a view reading it.
    await dataSource.query(
      'CREATE TABLE early (unit text, day int, amount bigint, PRIMARY KEY (unit, day))',
    );
    await dataSource.query(`INSERT INTO early VALUES ('a', 1, 7), ('c', 1, 3)`);
    await dataSource.query(
      `CREATE TABLE early__history AS SELECT * FROM early WITH NO DATA;
       ALTER TABLE early__history ADD COLUMN valid_to bigint NOT NULL, ADD COLUMN absent boolean NOT NULL;
       CREATE UNIQUE INDEX ON early__history (unit, day, valid_to);
       INSERT INTO early__history VALUES
         ('a', 1, NULL, 10, true), ('a', 1, 5, 30, false), ('a', 1, 6, 70, false),
         ('a', 2, NULL, 30, true), ('b', 1, NULL, 70, true), ('b', 1, 1, 90, false);
       CREATE VIEW early_at_50 AS SELECT * FROM early__history WHERE valid_to > 50`,
    );
    const runner = dataSource.createQueryRunner();
    try {
      await new IndexRowHistoryPositions1763900006300().up(runner);
    } finally {
      await runner.release();
    }
    expect(
      await dataSource.query(
        'SELECT unit, day, valid_from::int, valid_to::int, absent FROM early__history ORDER BY unit, day, valid_to',
      ),
    ).toEqual([
      { unit: 'a', day: 1, valid_from: 0, valid_to: 10, absent: true },
      { unit: 'a', day: 1, valid_from: 10, valid_to: 30, absent: false },
      { unit: 'a', day: 1, valid_from: 30, valid_to: 70, absent: false },
      { unit: 'a', day: 2, valid_from: 0, valid_to: 30, absent: true },
      { unit: 'b', day: 1, valid_from: 0, valid_to: 70, absent: true },
      { unit: 'b', day: 1, valid_from: 70, valid_to: 90, absent: false },
    ]);
    // Then the rows keep their start: where their key's last version ended, else 0; the
    // versions that held no row go.
    const starts = dataSource.createQueryRunner();
    try {
      await new KeepVersionStartOnRows1763900006640().up(starts);
    } finally {
      await starts.release();
    }
    expect(
      await dataSource.query(
        'SELECT unit, day, valid_from::int, valid_to::int FROM early__history ORDER BY unit, day, valid_to',
      ),
    ).toEqual([
      { unit: 'a', day: 1, valid_from: 10, valid_to: 30 },
      { unit: 'a', day: 1, valid_from: 30, valid_to: 70 },
      { unit: 'b', day: 1, valid_from: 70, valid_to: 90 },
    ]);
    expect(
      await dataSource.query('SELECT unit, day, valid_from::int FROM early ORDER BY unit, day'),
    ).toEqual([
      { unit: 'a', day: 1, valid_from: 70 },
      { unit: 'c', day: 1, valid_from: 0 },
    ]);
    // The same columns, order, nullability and indexes as a history made today.
    await dataSource.query(
      'CREATE TABLE today (unit text, day int, amount bigint, PRIMARY KEY (unit, day))',
    );
    await createRowHistory(dataSource, 'today');
    const shape = async (history: string) => ({
      columns: await dataSource.query(
        `SELECT attname, atttypid::regtype::text AS type, attnotnull FROM pg_attribute
          WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
        [history],
      ),
      indexes: (
        await dataSource.query(
          `SELECT regexp_replace(pg_get_indexdef(indexrelid), '^.* USING ', '') AS definition
             FROM pg_index WHERE indrelid = to_regclass($1) ORDER BY 1`,
          [history],
        )
      ).map((row: { definition: string }) => row.definition),
    });
    expect(await shape('early__history')).toEqual(await shape('today__history'));
    expect(await shape('early')).toEqual(await shape('today'));
    expect(await dataSource.query(`SELECT to_regclass('early_at_50') AS view`)).toEqual([
      { view: null },
    ]);
  });

  /** Which function each of the table's row-history triggers calls. */
  async function recorders(table: string): Promise<string[]> {
    const rows: { recorder: string }[] = await dataSource.query(
      `SELECT DISTINCT p.proname AS recorder FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid
        WHERE t.tgrelid = to_regclass($1) AND t.tgname LIKE 'row_history%'`,
      [table],
    );
    return rows.map((row) => row.recorder);
  }

  it("writes every versioned table's recorder again", async () => {
    await dataSource.query('CREATE TABLE probed (unit text PRIMARY KEY, amount bigint)');
    await createRowHistory(dataSource, 'probed');
    const recorderName = `record_${historyTable('probed')}`;
    const recorder = async (): Promise<string> =>
      (
        await dataSource.query('SELECT prosrc AS source FROM pg_proc WHERE proname = $1', [
          recorderName,
        ])
      )[0].source;
    // A recorder of the design before (this body stands in for it).
    await dataSource.query(
      `CREATE OR REPLACE FUNCTION ${recorderName}() RETURNS trigger
       LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$`,
    );
    const runner = dataSource.createQueryRunner();
    try {
      await new RecordWithOneProbe1763900006630().up(runner);
    } finally {
      await runner.release();
    }
    // Today's: the replaced versions appended as they were, looking nothing up.
    expect(await recorder()).toContain('FROM old_rows r;');
    expect(await recorder()).not.toMatch(/ON CONFLICT|LATERAL/);
  });

  it('records and reads what the first design did, and the migration gives what it records', async () => {
    // `shared`: the first design, by hand (no start on its rows, `absent` versions, the shared
    // recorder); `own`: today's. `batch`: a column named like the recorder's variable.
    for (const table of ['shared', 'own']) {
      await dataSource.query(
        `CREATE TABLE ${table} (unit text, day int, amount bigint NOT NULL, note text,
           batch int, PRIMARY KEY (unit, day))`,
      );
    }
    await createRowHistory(dataSource, 'own');
    await dataSource.query(
      `CREATE TABLE shared__history AS SELECT * FROM shared WITH NO DATA;
       ALTER TABLE shared__history ADD COLUMN valid_from bigint NOT NULL,
         ADD COLUMN valid_to bigint NOT NULL, ADD COLUMN absent boolean NOT NULL;
       CREATE UNIQUE INDEX ON shared__history (unit, day, valid_to);
       CREATE INDEX ON shared__history (valid_to, valid_from, absent)`,
    );
    const runner = dataSource.createQueryRunner();
    try {
      await installSharedRecorder(runner, 'shared');
      expect(await recorders('shared')).toEqual(['record_row_history']);
      expect(await recorders('own')).toEqual([`record_${historyTable('own')}`]);

      // The same random batches into both: inserts, increments, upserts, deletes, key moves;
      // and, outside any batch (a migration's backfill), changes of values.
      const statements = [
        `INSERT INTO %t SELECT 'u' || (random() * 5)::int, d, 1, 'new', -d
           FROM generate_series(1, 3) d ON CONFLICT DO NOTHING`,
        `UPDATE %t SET amount = amount + 1 WHERE day = 2`,
        `INSERT INTO %t VALUES ('u1', 1, 7, 'upsert', 5) ON CONFLICT (unit, day)
           DO UPDATE SET amount = %t.amount + excluded.amount, note = excluded.note`,
        `DELETE FROM %t WHERE unit = 'u3' AND day = 3`,
        `UPDATE %t SET day = day + (SELECT max(day) FROM %t) WHERE unit = 'u2' AND day < 10`,
        `UPDATE %t SET note = NULL WHERE unit IN ('u0', 'u4')`,
      ];
      const outside = [statements[1], statements[5]];
      const plan = Array.from({ length: 60 }, (_, batch) => {
        const from = batch % 7 === 6 ? outside : statements;
        return Array.from({ length: randomInt(1, 5) }, () => from[randomInt(from.length)]);
      });
      for (const table of ['shared', 'own']) {
        // Seeded alike: `random()` in the first statement draws the same units in both.
        await dataSource.query('SELECT setseed(0.42)');
        for (const [batch, sqls] of plan.entries()) {
          await dataSource.transaction(async (manager) => {
            if (batch % 7 !== 6) {
              await manager.query(`SELECT ${atBatchPosition('$1')}`, [String((batch + 1) * 10)]);
            }
            for (const sql of sqls) await manager.query(sql.replace(/%t/g, table));
          });
        }
      }
      const columns = ['unit', 'day', 'amount', 'note', 'batch'];
      const firstDesignAt = (position: number) => `
        SELECT unit, day, amount, note, batch FROM shared t
         WHERE NOT EXISTS (SELECT FROM shared__history h
                            WHERE h.unit = t.unit AND h.day = t.day AND h.valid_to > ${position})
        UNION ALL
        SELECT unit, day, amount, note, batch FROM shared__history
         WHERE valid_to > ${position} AND valid_from <= ${position} AND NOT absent`;
      const sorted = (sql: string) => dataSource.query(`SELECT * FROM (${sql}) r ORDER BY 1, 2`);
      for (let position = 0; position <= 610; position += 5) {
        expect([position, await sorted(rowsAtBoundary('own', columns, position))]).toEqual([
          position,
          await sorted(firstDesignAt(position)),
        ]);
      }
      const [{ versions }] = await dataSource.query(
        `SELECT count(*)::int AS versions FROM ${historyTable('own')}`,
      );
      expect(versions).toBeGreaterThan(20);

      // The migration gives the first design's table the history and starts `own` recorded.
      await new KeepVersionStartOnRows1763900006640().up(runner);
      expect(await recorders('shared')).toEqual([`record_${historyTable('shared')}`]);
      const history = (table: string) =>
        dataSource.query(
          `SELECT unit, day, amount, note, batch, valid_from, valid_to
             FROM ${historyTable(table)} WHERE valid_from < valid_to
            ORDER BY unit, day, valid_to`,
        );
      expect(await history('shared')).toEqual(await history('own'));
      expect(await dataSource.query('SELECT * FROM shared ORDER BY unit, day')).toEqual(
        await dataSource.query('SELECT * FROM own ORDER BY unit, day'),
      );
    } finally {
      await runner.release();
    }
  });
});
