import type { EventStore } from '#event-store';
import type { QueryRunner } from 'typeorm';
import type { Projection } from '../runner/projection.js';
import { hasRowHistory, keyColumns, rowsAtBoundary, tableColumns } from '../runner/row-history.js';

/** The schema holding the read models as known at a log position. */
export const knownAtSchema = (position: number) => `known_at_${position}`;

/** The read models' history does not reach back to the position asked about. */
export class KnownAtBeforeHistory extends Error {
  constructor(
    readonly position: number,
    readonly historyFrom: number,
    readonly projections: string[],
  ) {
    super(
      `The read models (${projections.join(', ')}) keep their history from position ` +
        `${historyFrom}, after ${position}; rebuild them to read further back`,
    );
    this.name = 'KnownAtBeforeHistory';
  }
}

/**
 * Fills `known_at_<P>` (created empty, in the transaction `tx`) with every read-model table as
 * it stood when the log ended at P, under its own name, so a route's query reads it unchanged.
 * Where P is a boundary of a projection's batches, its tables are views over the live rows and
 * their history; where P falls inside one of its batches (a rebuild page, a catch-up batch),
 * its tables are copied as they stood at the batch's start and the batch's events up to P
 * replayed into them: at most one batch, never the whole log. Returns how many projections
 * were replayed so.
 */
export async function fillKnownAtSchema(
  tx: QueryRunner,
  store: EventStore,
  projections: readonly Projection[],
  position: number,
  live: string,
): Promise<number> {
  const schema = knownAtSchema(position);
  let replayed = 0;
  for (const projection of projections) {
    const [batch] = await tx.query(
      'SELECT after FROM projection_batches WHERE projection = $1 AND after < $2 AND last > $2',
      [projection.name, position],
    );
    if (!batch) {
      for (const table of projection.tables) {
        await tx.query(
          `CREATE VIEW ${schema}.${table} AS ${await rowsAt(tx, projection, `${live}.${table}`, position)}`,
        );
      }
      continue;
    }
    const start = Number(batch.after);
    replayed++;
    for (const table of projection.tables) {
      await tx.query(`CREATE TABLE ${schema}.${table} (LIKE ${live}.${table} INCLUDING ALL)`);
      // A log index is made a view again below; replaying into it needs no earlier rows.
      if (projection.logIndexes?.includes(table)) continue;
      await tx.query(
        `INSERT INTO ${schema}.${table} OVERRIDING SYSTEM VALUE
         ${await rowsAt(tx, projection, `${live}.${table}`, start)}`,
      );
    }
    const events = (await store.readAll({ after: start, maxCount: position - start })).filter(
      (event) => event.position <= position,
    );
    await tx.query(`SET LOCAL search_path TO ${schema}`);
    const query = async <Row>(sql: string, params?: unknown[]) =>
      (await tx.query(sql, params, true)).records as Row[];
    await projection.apply(events, { query, table: (name) => name });
    await tx.query(`SET LOCAL search_path TO ${live}`);
    for (const table of projection.logIndexes ?? []) {
      await tx.query(`DROP TABLE ${schema}.${table}`);
      await tx.query(
        `CREATE VIEW ${schema}.${table} AS ${await rowsAt(tx, projection, `${live}.${table}`, position)}`,
      );
    }
  }
  await tx.query(
    `CREATE TABLE ${schema}.projection_checkpoints (projection text PRIMARY KEY, position bigint NOT NULL)`,
  );
  await tx.query(
    `INSERT INTO ${schema}.projection_checkpoints (projection, position)
     SELECT unnest($1::text[]), $2`,
    [projections.map((projection) => projection.name), position],
  );
  return replayed;
}

/** The SQL of a live table's rows as they stood at a batch boundary. */
async function rowsAt(
  tx: QueryRunner,
  projection: Projection,
  table: string,
  position: number,
): Promise<string> {
  if (projection.logIndexes?.some((name) => table.endsWith(`.${name}`))) {
    return `SELECT * FROM ${table} WHERE position <= ${position}`;
  }
  if (!(await hasRowHistory(tx, table))) {
    throw new Error(`Table ${table} keeps no row history: it cannot be read as known at a time`);
  }
  return rowsAtBoundary(
    table,
    await keyColumns(tx, table),
    await tableColumns(tx, table),
    position,
  );
}
