import type { EventStore, RecordedEvent } from '#event-store';
import type { QueryRunner } from 'typeorm';
import type { Projection } from '../runner/projection.js';
import {
  hasRowHistory,
  historyTable,
  keyColumns,
  rowsAtBoundary,
  tableColumns,
  VERSION_START,
} from '../runner/row-history.js';

/**
 * The schemas of one projection's part of the read models as known at a log position: where
 * it is first made (`made`: views, or views and an overlay), where its tables are copied to be
 * read like live ones (`tables`), and where it is made again by the copy path when the check of
 * its overlay failed (`copied`). A read's search path names the schemas of the parts it reads.
 */
export const PART_GENERATIONS = ['made', 'tables', 'copied'] as const;
export type PartGeneration = (typeof PART_GENERATIONS)[number];

const GENERATION_SUFFIX: Record<PartGeneration, string> = { made: '', tables: '_t', copied: '_c' };

/** Every schema of the snapshot at `position` starts with this (`known_at_<P>_`). */
export const knownAtPrefix = (position: number) => `known_at_${position}_`;

/** The schema of a projection's part at `position`, in one of its generations. */
export function partSchema(position: number, projection: string, generation: PartGeneration) {
  const slug = projection.toLowerCase().replace(/[^a-z0-9]/g, '_');
  return `${knownAtPrefix(position)}${slug}${GENERATION_SUFFIX[generation]}`;
}

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
 * How a part was made: `views` at a boundary of the projection's batches; `replay` inside one
 * (the rows it changed replayed into an overlay); `copy` when its tables were copied as they
 * stood at the batch's start and the batch replayed into them.
 */
export type PartKind = 'views' | 'replay' | 'copy';

/** Where a part is made: the live schema, the part's schema, and the position. */
export type PartPlace = { schema: string; live: string; position: number };

/**
 * Fills `schema` (created empty, in the transaction `tx`) with one projection's tables as they
 * stood when the log ended at P, under their own names, and a `projection_checkpoints` at P,
 * so a route's query reads it unchanged. Where P is a boundary of the projection's batches, its
 * tables are views over the live rows and their history. Where P falls inside one of its
 * batches (a rebuild page, a catch-up batch), only the rows that batch changed are replayed, up
 * to P (`overlay`); the check that this needed no other row runs later (`checkOverlay`). With
 * `copy`, or when the overlay cannot be made, the tables are copied as they stood at the
 * batch's start and its events up to P replayed into them. At most one batch of events, never
 * the whole log. A projection that owns no table (the alerts outbox) gets the checkpoints
 * alone: replaying it would write to its live tables, and a read must change nothing.
 */
export async function fillPart(
  tx: QueryRunner,
  store: EventStore,
  projection: Projection,
  projectionNames: readonly string[],
  place: PartPlace,
  options: { copy?: boolean; readBatch?: ReadBatch } = {},
): Promise<PartKind> {
  const { schema, position } = place;
  await createCheckpoints(tx, schema, position, projectionNames);
  if (projection.tables.length === 0) return 'views';
  const batch = await batchHolding(tx, projection, position);
  if (!batch) {
    for (const table of projection.tables) {
      await tx.query(
        `CREATE VIEW ${schema}.${table} AS ${await rowsAt(tx, projection, `${place.live}.${table}`, position)}`,
      );
    }
    return 'views';
  }
  const events = await (options.readBatch ?? ((b) => batchEvents(store, b)))(batch);
  if (!options.copy) {
    await tx.query('SAVEPOINT known_at_overlay');
    try {
      await overlay(tx, projection, events, { ...place, last: batch.last });
      await tx.query('RELEASE SAVEPOINT known_at_overlay');
      return 'replay';
    } catch {
      // Whatever went wrong (a statement the overlay cannot serve), the copy answers exactly.
      await tx.query('ROLLBACK TO SAVEPOINT known_at_overlay');
      await tx.query(`SET LOCAL search_path TO ${place.live}`);
    }
  }
  await copyAndReplay(tx, projection, events, { ...place, start: batch.after });
  return 'copy';
}

/** The part's `projection_checkpoints`: every projection at P (the reader's `position`). */
async function createCheckpoints(
  tx: QueryRunner,
  schema: string,
  position: number,
  projectionNames: readonly string[],
): Promise<void> {
  const names = projectionNames.map((name) => `'${name.replace(/'/g, "''")}'`).join(', ');
  await tx.query(
    `CREATE VIEW ${schema}.projection_checkpoints AS
     SELECT p AS projection, ${position}::bigint AS position FROM unnest(ARRAY[${names}]::text[]) AS p`,
  );
}

/** A batch of a projection: the events after `after` up to `last`. */
export type Batch = { after: number; last: number };

/** Reads a batch's events (the parts of one snapshot inside one rebuild page share them). */
export type ReadBatch = (batch: Batch) => Promise<RecordedEvent[]>;

/** The projection's batch that holds `position` strictly inside it, if any. */
async function batchHolding(
  tx: QueryRunner,
  projection: Projection,
  position: number,
): Promise<Batch | undefined> {
  const [batch] = await tx.query(
    'SELECT after, last FROM projection_batches WHERE projection = $1 AND after < $2 AND last > $2',
    [projection.name, position],
  );
  return batch ? { after: Number(batch.after), last: Number(batch.last) } : undefined;
}

export async function batchEvents(
  store: EventStore,
  { after, last }: Batch,
): Promise<RecordedEvent[]> {
  return (await store.readAll({ after, maxCount: last - after })).filter(
    (event) => event.position <= last,
  );
}

/** The overlay of a table: its rows the batch changed, as they stood at the snapshot's P. */
export const overlayTable = (table: string) => `${table}__overlay`;

type OverlayPlace = PartPlace & { last: number };

const contextOf = (tx: QueryRunner) => ({
  query: async <Row>(sql: string, params?: unknown[]) =>
    (await tx.query(sql, params, true)).records as Row[],
  table: (name: string) => name,
});

/** A table's key and columns, read from the live table. */
type Shape = { keys: string[]; columns: string[] };

async function shapesOf(tx: QueryRunner, live: string, tables: readonly string[]) {
  const shapes = new Map<string, Shape>();
  for (const table of tables) {
    shapes.set(table, {
      keys: await keyColumns(tx, `${live}.${table}`),
      columns: await tableColumns(tx, `${live}.${table}`),
    });
  }
  return shapes;
}

const versionedTables = (projection: Projection) =>
  projection.tables.filter((table) => !projection.logIndexes?.includes(table));

/** The table of the keys a batch changed, beside an overlay of `table`. */
const changedTable = (table: string) => `${table}__changed`;

/**
 * Creates, in `schema`, the table of the keys of `table` the batch ending at `last` changed:
 * those whose version ended at `last` (updated or deleted by it, or there only inside it: an
 * empty version) and those whose version began there (inserted by it). Only these are replayed: a row of another key is there because a
 * look-up of an unchanged row (not given to the replay) found nothing, e.g. the audit trail's
 * streams named before the batch; its value at P is the one the batch left alone.
 */
async function createChangedKeys(
  tx: QueryRunner,
  { schema, live, last }: { schema: string; live: string; last: number },
  table: string,
  keys: readonly string[],
): Promise<void> {
  const list = quoted(keys);
  const history = `${live}.${historyTable(table)}`;
  await tx.query(
    `CREATE TABLE ${schema}.${changedTable(table)} AS
     SELECT ${list} FROM ${history} WHERE valid_to = ${last}
     UNION
     SELECT ${list} FROM ${history} WHERE valid_to > ${last} AND ${VERSION_START} = ${last}
     UNION
     SELECT ${list} FROM ${live}.${table} WHERE ${VERSION_START} = ${last}`,
  );
  await tx.query(`ANALYZE ${schema}.${changedTable(table)}`);
}

/** Whether the row `alias` is of a key the batch changed (`createChangedKeys` in `schema`). */
const changedBy = (schema: string, table: string, keys: readonly string[], alias: string) =>
  `EXISTS (SELECT FROM ${schema}.${changedTable(table)} c WHERE ${sameKey(keys, 'c', alias)})`;

/**
 * Creates, in `schema`, the projection's tables holding the rows its batch ending at `last`
 * changed, as they stood at the batch's start (the versions that ended at `last`, but for the
 * empty ones of keys it had inserted), and the tables of the keys it changed, and replays
 * `events` into them.
 */
async function replayChangedRows(
  tx: QueryRunner,
  projection: Projection,
  shapes: Map<string, Shape>,
  events: RecordedEvent[],
  { schema, live, last }: { schema: string; live: string; last: number },
): Promise<void> {
  for (const table of projection.tables) {
    await tx.query(`CREATE TABLE ${schema}.${table} (LIKE ${live}.${table} INCLUDING ALL)`);
  }
  for (const [table, { keys, columns }] of shapes) {
    const list = quoted(columns);
    await tx.query(
      `INSERT INTO ${schema}.${table} (${list}) OVERRIDING SYSTEM VALUE
       SELECT ${list} FROM ${live}.${historyTable(table)}
        WHERE valid_to = $1 AND ${VERSION_START} < valid_to`,
      [last],
    );
    await createChangedKeys(tx, { schema, live, last }, table, keys);
  }
  await tx.query(`SET LOCAL search_path TO ${schema}`);
  try {
    await projection.apply(events, contextOf(tx));
  } finally {
    await tx.query(`SET LOCAL search_path TO ${live}`);
  }
}

/**
 * A projection as known at P inside its batch `(after, last]`, at the cost of half that batch:
 * the rows the batch changed are taken as they stood at its start, the batch's events up to P
 * replayed into them, and what that gives is kept as `T__overlay`; `T` is a view of the overlay
 * and of the rows the batch left alone (the same at its start, at P and at its end: the view at
 * `last`). That the replay needed no row it was not given is checked afterwards, off the read's
 * path (`checkOverlay`).
 */
async function overlay(
  tx: QueryRunner,
  projection: Projection,
  events: RecordedEvent[],
  { schema, live, position, last }: OverlayPlace,
): Promise<void> {
  const versioned = versionedTables(projection);
  const shapes = await shapesOf(tx, live, versioned);
  await replayChangedRows(
    tx,
    projection,
    shapes,
    events.filter((event) => event.position <= position),
    { schema, live, last },
  );
  for (const [table, { keys }] of shapes) {
    await tx.query(
      `CREATE TABLE ${schema}.${overlayTable(table)} AS
       SELECT * FROM ${schema}.${table} t WHERE ${changedBy(schema, table, keys, 't')}`,
    );
  }
  for (const table of projection.tables) await tx.query(`DROP TABLE ${schema}.${table}`);
  for (const [table, { keys, columns }] of shapes) {
    const list = quoted(columns);
    await tx.query(
      `CREATE VIEW ${schema}.${table} AS
       SELECT ${list} FROM ${schema}.${overlayTable(table)}
       UNION ALL
       SELECT ${list} FROM (${rowsAtBoundary(`${live}.${table}`, columns, last)}) r
        WHERE NOT ${changedBy(schema, table, keys, 'r')}`,
    );
  }
  for (const table of projection.logIndexes ?? []) {
    await tx.query(
      `CREATE VIEW ${schema}.${table} AS ${await rowsAt(tx, projection, `${live}.${table}`, position)}`,
    );
  }
}

/**
 * Whether the overlay of a projection at P was exact: its batch is replayed again from the rows
 * it changed, to P and then to its end, in `scratch` (created empty in `tx`, which the caller
 * rolls back), and must give exactly the rows the history holds for those keys at the batch's
 * end. A replay that needed a row it was not given (a look-up of a row the batch did not
 * change) gives other rows. Answers the number of rows that differ (0: exact).
 */
export async function checkOverlay(
  tx: QueryRunner,
  store: EventStore,
  projection: Projection,
  { schema: scratch, live, position }: PartPlace,
): Promise<number> {
  const batch = await batchHolding(tx, projection, position);
  if (!batch) return 0;
  const events = await batchEvents(store, batch);
  const shapes = await shapesOf(tx, live, versionedTables(projection));
  await replayChangedRows(
    tx,
    projection,
    shapes,
    events.filter((event) => event.position <= position),
    { schema: scratch, live, last: batch.last },
  );
  await tx.query(`SET LOCAL search_path TO ${scratch}`);
  try {
    await projection.apply(
      events.filter((event) => event.position > position),
      contextOf(tx),
    );
  } finally {
    await tx.query(`SET LOCAL search_path TO ${live}`);
  }
  let differing = 0;
  for (const [table, { keys, columns }] of shapes) {
    const list = quoted(columns);
    const [row] = await tx.query(
      `WITH replayed AS (
              SELECT r::text AS row FROM (SELECT ${list} FROM ${scratch}.${table} t
                                           WHERE ${changedBy(scratch, table, keys, 't')}) r),
            recorded AS (
              SELECT r::text AS row FROM (${changedRowsAt(live, table, columns, batch.last)}) r)
       SELECT count(*)::int AS differing FROM (
         (SELECT row FROM replayed EXCEPT ALL SELECT row FROM recorded)
         UNION ALL
         (SELECT row FROM recorded EXCEPT ALL SELECT row FROM replayed)) d`,
    );
    differing += row.differing;
  }
  return differing;
}

/**
 * The rows the batch ending at `last` changed, as they stood at its end: the versions that
 * began at `last`, live or replaced since. A key the batch deleted has none.
 */
function changedRowsAt(
  live: string,
  table: string,
  columns: readonly string[],
  last: number,
): string {
  const list = quoted(columns);
  return `
    SELECT ${list} FROM ${live}.${table} WHERE ${VERSION_START} = ${last}
    UNION ALL
    SELECT ${list} FROM ${live}.${historyTable(table)}
     WHERE valid_to > ${last} AND ${VERSION_START} = ${last}`;
}

/**
 * Copies a part's tables into `schema` (created empty in `tx`) as real tables with the live
 * tables' columns, keys and indexes, analysed, so reads of them cost what live reads cost. The
 * log's indexes (`audit_events`) stay views: `position <= P` over the live table is already an
 * index range.
 */
export async function materializePart(
  tx: QueryRunner,
  projection: Projection,
  projectionNames: readonly string[],
  from: string,
  place: PartPlace,
): Promise<void> {
  const { schema, live, position } = place;
  // Nothing in it may depend on `from`, which is dropped once the catalog points here.
  await createCheckpoints(tx, schema, position, projectionNames);
  for (const table of versionedTables(projection)) {
    const list = quoted(await tableColumns(tx, `${live}.${table}`));
    await tx.query(
      `CREATE TABLE ${schema}.${table} (LIKE ${live}.${table} INCLUDING ALL EXCLUDING INDEXES)`,
    );
    await tx.query(
      `INSERT INTO ${schema}.${table} (${list}) OVERRIDING SYSTEM VALUE
       SELECT ${list} FROM ${from}.${table}`,
    );
    for (const definition of await indexDefinitions(tx, `${live}.${table}`)) {
      await tx.query(
        definition.replace(
          /^CREATE (UNIQUE )?INDEX \S+ ON (ONLY )?\S+ USING /,
          `CREATE $1INDEX ON ${schema}.${table} USING `,
        ),
      );
    }
    await tx.query(`ANALYZE ${schema}.${table}`);
  }
  for (const table of projection.logIndexes ?? []) {
    await tx.query(
      `CREATE VIEW ${schema}.${table} AS ${await rowsAt(tx, projection, `${live}.${table}`, position)}`,
    );
  }
}

/** The `CREATE INDEX` statements of a table's indexes, its key's among them. */
async function indexDefinitions(tx: QueryRunner, table: string): Promise<string[]> {
  const rows: { definition: string }[] = await tx.query(
    'SELECT pg_get_indexdef(indexrelid) AS definition FROM pg_index WHERE indrelid = to_regclass($1)',
    [table],
  );
  return rows.map((row) => row.definition);
}

/** The tables copied as they stood at the batch's start, and the batch replayed up to P. */
async function copyAndReplay(
  tx: QueryRunner,
  projection: Projection,
  events: RecordedEvent[],
  { schema, live, position, start }: PartPlace & { start: number },
): Promise<void> {
  for (const table of projection.tables) {
    await tx.query(`CREATE TABLE ${schema}.${table} (LIKE ${live}.${table} INCLUDING ALL)`);
    // A log index is made a view again below; replaying into it needs no earlier rows.
    if (projection.logIndexes?.includes(table)) continue;
    const list = quoted(await tableColumns(tx, `${live}.${table}`));
    await tx.query(
      `INSERT INTO ${schema}.${table} (${list}) OVERRIDING SYSTEM VALUE
       ${await rowsAt(tx, projection, `${live}.${table}`, start)}`,
    );
  }
  await tx.query(`SET LOCAL search_path TO ${schema}`);
  try {
    await projection.apply(
      events.filter((event) => event.position <= position),
      contextOf(tx),
    );
  } finally {
    await tx.query(`SET LOCAL search_path TO ${live}`);
  }
  for (const table of projection.logIndexes ?? []) {
    await tx.query(`DROP TABLE ${schema}.${table}`);
    await tx.query(
      `CREATE VIEW ${schema}.${table} AS ${await rowsAt(tx, projection, `${live}.${table}`, position)}`,
    );
  }
  for (const table of versionedTables(projection)) await tx.query(`ANALYZE ${schema}.${table}`);
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
  return rowsAtBoundary(table, await tableColumns(tx, table), position);
}
