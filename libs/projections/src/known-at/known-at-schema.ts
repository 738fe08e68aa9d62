import type { EventStore, RecordedEvent } from '#event-store';
import type { QueryRunner } from 'typeorm';
import type { Projection } from '../runner/projection.js';
import {
  hasRowHistory,
  historyTable,
  keyColumns,
  rowsAtBoundary,
  tableColumns,
} from '../runner/row-history.js';

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

/** How a snapshot's projections were made: how many were read inside a batch, and how. */
export type KnownAtFill = {
  /** Projections replayed inside their batch into small overlays of the rows it changed. */
  overlaid: number;
  /** Projections whose overlay did not reproduce the batch, copied whole and replayed. */
  copied: number;
};

/**
 * Fills `known_at_<P>` (created empty, in the transaction `tx`) with every read-model table as
 * it stood when the log ended at P, under its own name, so a route's query reads it unchanged.
 * Where P is a boundary of a projection's batches, its tables are views over the live rows and
 * their history. Where P falls inside one of its batches (a rebuild page, a catch-up batch),
 * only the rows that batch changed are replayed (`overlay`); should that not reproduce the
 * batch, its tables are copied as they stood at the batch's start and the batch's events up to
 * P replayed into them. At most one batch of events either way, never the whole log.
 */
export async function fillKnownAtSchema(
  tx: QueryRunner,
  store: EventStore,
  projections: readonly Projection[],
  position: number,
  live: string,
): Promise<KnownAtFill> {
  const schema = knownAtSchema(position);
  const fill: KnownAtFill = { overlaid: 0, copied: 0 };
  for (const projection of projections) {
    // One that owns no read-model table (the alerts outbox) has nothing to show as of P, and
    // replaying it would write to its live tables: a read must change nothing.
    if (projection.tables.length === 0) continue;
    const [batch] = await tx.query(
      'SELECT after, last FROM projection_batches WHERE projection = $1 AND after < $2 AND last > $2',
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
    const last = Number(batch.last);
    const events = (await store.readAll({ after: start, maxCount: last - start })).filter(
      (event) => event.position <= last,
    );
    await tx.query('SAVEPOINT known_at_overlay');
    try {
      await overlay(tx, projection, events, { schema, live, position, last });
      await tx.query('RELEASE SAVEPOINT known_at_overlay');
      fill.overlaid++;
    } catch {
      // Whatever went wrong (a statement the overlay cannot serve, rows it lacked), the copy
      // answers exactly.
      await tx.query('ROLLBACK TO SAVEPOINT known_at_overlay');
      await tx.query(`SET LOCAL search_path TO ${live}`);
      await copyAndReplay(tx, projection, events, { schema, live, position, start });
      fill.copied++;
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
  return fill;
}

/** The overlay of a table: its rows the batch changed, as they stood at the snapshot's P. */
export const overlayTable = (table: string) => `${table}__overlay`;

class OverlayMismatch extends Error {}

type Place = { schema: string; live: string; position: number; last: number };

/**
 * A projection as known at P inside its batch `(after, last]`, at the cost of that batch: the
 * rows the batch changed (their keys are in the history at `valid_to = last`) are taken as
 * they stood at its start, the batch's events up to P replayed into them, and what that gives
 * is kept as `T__overlay`; `T` is a view of the overlay and of the rows the batch left alone
 * (the same at its start, at P and at its end: the view at `last`). To be sure the replay
 * needed no row it was not given (a lookup of an unchanged row), the rest of the batch is
 * replayed too and must give exactly the rows the history holds at `last`; otherwise this
 * throws, and the caller copies the tables whole.
 */
async function overlay(
  tx: QueryRunner,
  projection: Projection,
  events: RecordedEvent[],
  { schema, live, position, last }: Place,
): Promise<void> {
  const versioned = projection.tables.filter((table) => !projection.logIndexes?.includes(table));
  const shapes = new Map<string, { keys: string[]; columns: string[] }>();
  for (const table of projection.tables) {
    await tx.query(`CREATE TABLE ${schema}.${table} (LIKE ${live}.${table} INCLUDING ALL)`);
  }
  for (const table of versioned) {
    const shape = {
      keys: await keyColumns(tx, `${live}.${table}`),
      columns: await tableColumns(tx, `${live}.${table}`),
    };
    shapes.set(table, shape);
    const list = quoted(shape.columns);
    await tx.query(
      `INSERT INTO ${schema}.${table} (${list}) OVERRIDING SYSTEM VALUE
       SELECT ${list} FROM ${live}.${historyTable(table)} WHERE valid_to = $1 AND NOT absent`,
      [last],
    );
  }
  const query = async <Row>(sql: string, params?: unknown[]) =>
    (await tx.query(sql, params, true)).records as Row[];
  await tx.query(`SET LOCAL search_path TO ${schema}`);
  await projection.apply(
    events.filter((event) => event.position <= position),
    { query, table: (name) => name },
  );
  await tx.query(`SET LOCAL search_path TO ${live}`);
  // Only the keys the batch changed: a row of another key is there because a look-up of an
  // unchanged row (not given to the replay) found nothing, e.g. the audit trail's streams
  // named before the batch; its value at P is the one the batch left alone.
  const changedBy = (table: string, alias: string) =>
    `EXISTS (SELECT FROM ${live}.${historyTable(table)} h
              WHERE ${sameKey(shapes.get(table)!.keys, 'h', alias)} AND h.valid_to = ${last})`;
  for (const table of versioned) {
    await tx.query(
      `CREATE TABLE ${schema}.${overlayTable(table)} AS
       SELECT * FROM ${schema}.${table} t WHERE ${changedBy(table, 't')}`,
    );
  }
  await tx.query(`SET LOCAL search_path TO ${schema}`);
  await projection.apply(
    events.filter((event) => event.position > position),
    { query, table: (name) => name },
  );
  await tx.query(`SET LOCAL search_path TO ${live}`);
  for (const table of versioned) {
    const { keys, columns } = shapes.get(table)!;
    const list = quoted(columns);
    const [{ differing }] = await tx.query(
      `WITH replayed AS (
              SELECT r::text AS row FROM (SELECT ${list} FROM ${schema}.${table} t
                                           WHERE ${changedBy(table, 't')}) r),
            recorded AS (
              SELECT r::text AS row FROM (${rowsAtBoundary(`${live}.${table}`, keys, columns, last)}) r
               WHERE ${changedBy(table, 'r')})
       SELECT count(*)::int AS differing FROM (
         (SELECT row FROM replayed EXCEPT ALL SELECT row FROM recorded)
         UNION ALL
         (SELECT row FROM recorded EXCEPT ALL SELECT row FROM replayed)) d`,
    );
    if (differing > 0) {
      throw new OverlayMismatch(`${table}: ${differing} rows differ from the batch's`);
    }
  }
  for (const table of projection.tables) await tx.query(`DROP TABLE ${schema}.${table}`);
  for (const table of versioned) {
    const { keys, columns } = shapes.get(table)!;
    const list = quoted(columns);
    await tx.query(
      `CREATE VIEW ${schema}.${table} AS
       SELECT ${list} FROM ${schema}.${overlayTable(table)}
       UNION ALL
       SELECT ${list} FROM (${rowsAtBoundary(`${live}.${table}`, keys, columns, last)}) r
        WHERE NOT ${changedBy(table, 'r')}`,
    );
  }
  for (const table of projection.logIndexes ?? []) {
    await tx.query(
      `CREATE VIEW ${schema}.${table} AS ${await rowsAt(tx, projection, `${live}.${table}`, position)}`,
    );
  }
}

/** The tables copied as they stood at the batch's start, and the batch replayed up to P. */
async function copyAndReplay(
  tx: QueryRunner,
  projection: Projection,
  events: RecordedEvent[],
  { schema, live, position, start }: Omit<Place, 'last'> & { start: number },
): Promise<void> {
  for (const table of projection.tables) {
    await tx.query(`CREATE TABLE ${schema}.${table} (LIKE ${live}.${table} INCLUDING ALL)`);
    // A log index is made a view again below; replaying into it needs no earlier rows.
    if (projection.logIndexes?.includes(table)) continue;
    await tx.query(
      `INSERT INTO ${schema}.${table} OVERRIDING SYSTEM VALUE
       ${await rowsAt(tx, projection, `${live}.${table}`, start)}`,
    );
  }
  await tx.query(`SET LOCAL search_path TO ${schema}`);
  const query = async <Row>(sql: string, params?: unknown[]) =>
    (await tx.query(sql, params, true)).records as Row[];
  await projection.apply(
    events.filter((event) => event.position <= position),
    { query, table: (name) => name },
  );
  await tx.query(`SET LOCAL search_path TO ${live}`);
  for (const table of projection.logIndexes ?? []) {
    await tx.query(`DROP TABLE ${schema}.${table}`);
    await tx.query(
      `CREATE VIEW ${schema}.${table} AS ${await rowsAt(tx, projection, `${live}.${table}`, position)}`,
    );
  }
}

const quoted = (names: readonly string[]) => names.map((name) => `"${name}"`).join(', ');

const sameKey = (keys: readonly string[], a: string, b: string) =>
  keys.map((key) => `${a}."${key}" = ${b}."${key}"`).join(' AND ');

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
