// Times the two designs of the row-history trigger side by side (docs/benchmarks.md, "Where
// the history's write cost goes"): the first, one function shared by every table that builds its
// statements from the catalog at every statement (`recordRowHistoryFunction`), and today's, a
// function per table with its statements written out (`createRowHistory`). Three tables of four
// columns in a scratch schema: none, shared, own. Each batch sets a position and runs 5 upserts
// of ROWS random keys; prints the milliseconds of 400 batches, three runs of each.
//
//   npm run build && node scripts/history-recorders.mjs [--url postgres://…] [--rows 10]
import { parseArgs } from 'node:util';
import pg from 'pg';
import {
  atBatchPosition,
  createRowHistory,
  recordRowHistoryFunction,
} from '../dist/libs/projections/src/runner/row-history.js';

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/test' },
    rows: { type: 'string', default: '10' },
  },
});
const rows = Number(values.rows);
const client = new pg.Client({ connectionString: values.url });
await client.connect();
const queryable = { query: async (sql, params) => (await client.query(sql, params)).rows };
try {
  await client.query('DROP SCHEMA IF EXISTS history_recorders CASCADE');
  await client.query('CREATE SCHEMA history_recorders');
  await client.query('SET search_path TO history_recorders');
  for (const table of ['none', 'shared', 'own']) {
    await client.query(`CREATE TABLE ${table} (k text PRIMARY KEY, a int, b int, c text)`);
  }
  await createRowHistory(queryable, 'shared');
  await createRowHistory(queryable, 'own');
  // `shared` back to the first design's function.
  await client.query(recordRowHistoryFunction);
  for (const event of ['insert', 'update', 'delete']) {
    const transitions = {
      insert: 'NEW TABLE AS new_rows',
      update: 'OLD TABLE AS old_rows NEW TABLE AS new_rows',
      delete: 'OLD TABLE AS old_rows',
    }[event];
    await client.query(`DROP TRIGGER row_history_${event} ON shared`);
    await client.query(
      `CREATE TRIGGER row_history_${event} AFTER ${event.toUpperCase()} ON shared
       REFERENCING ${transitions} FOR EACH STATEMENT EXECUTE FUNCTION record_row_history('k')`,
    );
  }

  let position = 0;
  const run = async (table, batches) => {
    const started = performance.now();
    for (let batch = 0; batch < batches; batch++) {
      await client.query('BEGIN');
      await client.query(`SELECT ${atBatchPosition('$1')}`, [String(++position * 1000)]);
      for (let statement = 0; statement < 5; statement++) {
        const keys = Array.from({ length: rows }, () => `k${Math.floor(Math.random() * 20_000)}`);
        await client.query(
          `INSERT INTO ${table} (k, a, b, c) SELECT k, 1, 2, 'x' FROM unnest($1::text[]) k
           GROUP BY k ON CONFLICT (k) DO UPDATE SET a = ${table}.a + 1`,
          [keys],
        );
      }
      await client.query('COMMIT');
    }
    return Math.round(performance.now() - started);
  };
  for (const table of ['none', 'shared', 'own']) await run(table, 100); // warm-up
  const times = { none: [], shared: [], own: [] };
  for (let round = 0; round < 3; round++) {
    for (const table of ['none', 'shared', 'own']) times[table].push(await run(table, 400));
  }
  console.log(JSON.stringify({ rowsPerStatement: rows, milliseconds: times }));
} finally {
  await client.query('DROP SCHEMA IF EXISTS history_recorders CASCADE');
  await client.end();
}
