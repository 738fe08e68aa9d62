/**
 * Row history: each read-model table `T` may have a `T__history` beside it, holding every row
 * version a batch replaced, with the position of that batch (`valid_to`): the version was the
 * current one for every log position below it. An inserted row leaves an `absent` version.
 * Statement triggers write it from the transition tables (set-based, like the projections'
 * own writes), stamped with the batch position the runner sets in the transaction
 * (`atBatchPosition`). Writes outside a batch (no position set) leave no history.
 */
export const HISTORY_SUFFIX = '__history';

export const historyTable = (table: string) => `${table}${HISTORY_SUFFIX}`;

const POSITION_SETTING = 'campaign_ledger.batch_position';

/** A data source or a query runner: SQL that answers rows. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Queryable = { query<T = any>(sql: string, params?: unknown[]): Promise<T> };

/**
 * An SQL expression that stamps the history the rest of the transaction writes with the
 * batch's last position, given as the text parameter `param` (such as `'$2'`).
 */
export const atBatchPosition = (param: string) =>
  `set_config('${POSITION_SETTING}', ${param}, true)`;

/**
 * The first design's trigger function, one for every table, which built its statements from
 * the catalog and planned them at every statement it recorded. Kept for the migrations that
 * ran with it; tables now get a recorder of their own (`installRowHistoryTriggers`).
 */
export const recordRowHistoryFunction = `
  CREATE OR REPLACE FUNCTION record_row_history() RETURNS trigger LANGUAGE plpgsql AS $$
  DECLARE
    batch_position bigint := nullif(current_setting('${POSITION_SETTING}', true), '')::bigint;
    history text := TG_TABLE_NAME || '${HISTORY_SUFFIX}';
    keys text := TG_ARGV[0];
    columns text;
    valid_from text;
  BEGIN
    IF batch_position IS NULL THEN RETURN NULL; END IF;
    -- Where the version began: where the key's previous version ended (0: before the history).
    SELECT format('coalesce((SELECT max(p.valid_to) FROM %I.%I p WHERE %s), 0)',
                  TG_TABLE_SCHEMA, history,
                  string_agg(format('p.%1$I = r.%1$I', trim(key)), ' AND '))
      INTO valid_from FROM unnest(string_to_array(keys, ',')) AS key;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
      SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) INTO columns
        FROM pg_attribute WHERE attrelid = TG_RELID AND attnum > 0 AND NOT attisdropped;
      EXECUTE format(
        'INSERT INTO %I.%I (%s, valid_from, valid_to, absent)
         SELECT %s, %s, $1, false FROM old_rows r
         ON CONFLICT DO NOTHING', TG_TABLE_SCHEMA, history, columns,
         (SELECT string_agg('r.' || trim(c), ', ') FROM unnest(string_to_array(columns, ',')) c),
         valid_from)
        USING batch_position;
    END IF;
    -- An update that moves a row to a new key leaves the new key's previous absence.
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
      EXECUTE format(
        'INSERT INTO %I.%I (%s, valid_from, valid_to, absent)
         SELECT %s, %s, $1, true FROM new_rows r
         ON CONFLICT DO NOTHING', TG_TABLE_SCHEMA, history, keys,
         (SELECT string_agg('r.' || trim(k), ', ') FROM unnest(string_to_array(keys, ',')) k),
         valid_from)
        USING batch_position;
    END IF;
    RETURN NULL;
  END $$`;

/** The columns of a table's primary key, in key order. */
export async function keyColumns(tx: Queryable, table: string): Promise<string[]> {
  const rows: { column: string }[] = await tx.query(
    `SELECT a.attname AS column
       FROM pg_index x
       JOIN unnest(x.indkey) WITH ORDINALITY AS k (attnum, n) ON true
       JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum
      WHERE x.indrelid = to_regclass($1) AND x.indisprimary
      ORDER BY k.n`,
    [table],
  );
  if (rows.length === 0) throw new Error(`Table ${table} has no primary key to version rows by`);
  return rows.map((row) => row.column);
}

/** A table's columns, in order. */
export async function tableColumns(tx: Queryable, table: string): Promise<string[]> {
  const rows: { column: string }[] = await tx.query(
    `SELECT attname AS column FROM pg_attribute
      WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
    [table],
  );
  return rows.map((row) => row.column);
}

/** Whether the table keeps a row history (versioned tables have `T__history` beside them). */
export async function hasRowHistory(tx: Queryable, table: string): Promise<boolean> {
  const [row] = await tx.query(
    `SELECT EXISTS (
       SELECT FROM pg_class t
         JOIN pg_class h ON h.relnamespace = t.relnamespace AND h.relname = t.relname || $2
        WHERE t.oid = to_regclass($1)) AS versioned`,
    [table, HISTORY_SUFFIX],
  );
  return row.versioned;
}

/** A table's schema and name, as the catalog spells them (`table` as the search path finds it). */
async function placeOf(tx: Queryable, table: string): Promise<{ schema: string; name: string }> {
  const [place] = await tx.query(
    `SELECT n.nspname AS schema, c.relname AS name
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.oid = to_regclass($1)`,
    [table],
  );
  if (!place) throw new Error(`No table ${table} to keep a row history of`);
  return place;
}

/** An SQL identifier, quoted. */
export const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** The trigger function that records `T`'s history: `record_T__history`, beside `T`. */
const recorderName = (name: string) => `record_${historyTable(name)}`;

/**
 * One table's trigger function. Its statements name the table's history, key and columns, so
 * PL/pgSQL plans them once per session, where a function shared by every table would build
 * them from the catalog and plan them again at every statement it records (nearly half the
 * history's cost of a statement of 10 rows: docs/benchmarks.md).
 *
 * The first version recorded for a key at a batch position wins: it is the one that stood
 * before the batch, whatever the batch's statements did to the row after. Each row's one probe
 * of the key's index finds where the key's last version ended: that is where this one began
 * (`valid_from`), and when it is this batch, the key was recorded already and the row is
 * skipped. So an update's `absent` versions stay only for keys no row had before it (moved to a
 * new key). The probe replaced `ON CONFLICT DO NOTHING` on the key and position, which checked
 * the same index a second time (docs/benchmarks.md: `scripts/history-indexes.sql`). Both
 * record the same rows as long as a transition table holds each key once (immediate primary
 * keys), a table's batch positions only rise, and one writer at a time records into a history
 * (the batch's lock on its checkpoint). Should one of those ever break, the unique index
 * refuses the duplicate and the batch fails, where `ON CONFLICT` skipped it silently.
 *
 * No join of the two transition tables filters rows first: the plan kept for the session would
 * be the one made for the small statements that come first, a nested loop, quadratic on a
 * large one. The position is qualified by the block's label, since a table may have a column
 * of its name.
 */
function recorderFunction(
  schema: string,
  name: string,
  keys: readonly string[],
  columns: readonly string[],
): string {
  const history = `${quote(schema)}.${quote(historyTable(name))}`;
  const of = (alias: string, names: readonly string[]) =>
    names.map((column) => `${alias}.${quote(column)}`).join(', ');
  const sameKey = (a: string, b: string) =>
    keys.map((key) => `${a}.${quote(key)} = ${b}.${quote(key)}`).join(' AND ');
  const unrecorded = (transition: string) => `${transition} r
      CROSS JOIN LATERAL (SELECT max(p.valid_to) AS ended FROM ${history} p
                           WHERE ${sameKey('p', 'r')}) previous
      WHERE previous.ended IS DISTINCT FROM recorder.batch`;
  return `
  CREATE OR REPLACE FUNCTION ${quote(schema)}.${quote(recorderName(name))}() RETURNS trigger
  LANGUAGE plpgsql AS $recorder$
  <<recorder>>
  DECLARE
    batch bigint := nullif(current_setting('${POSITION_SETTING}', true), '')::bigint;
  BEGIN
    IF recorder.batch IS NULL THEN RETURN NULL; END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
      INSERT INTO ${history} (${columns.map(quote).join(', ')}, valid_from, valid_to, absent)
      SELECT ${of('r', columns)}, coalesce(previous.ended, 0), recorder.batch, false
        FROM ${unrecorded('old_rows')};
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
      INSERT INTO ${history} (${keys.map(quote).join(', ')}, valid_from, valid_to, absent)
      SELECT ${of('r', keys)}, coalesce(previous.ended, 0), recorder.batch, true
        FROM ${unrecorded('new_rows')};
    END IF;
    RETURN NULL;
  END $recorder$`;
}

/** The statement triggers that keep a history, by event, with the transition tables each sees. */
export const ROW_HISTORY_TRIGGERS = {
  insert: 'NEW TABLE AS new_rows',
  update: 'OLD TABLE AS old_rows NEW TABLE AS new_rows',
  delete: 'OLD TABLE AS old_rows',
};

/**
 * (Re)creates the table's trigger function and the statement triggers that keep its history,
 * for the table's current name and columns: after a rename (a rebuild's swap) or a change of
 * columns (a migration that also changes `T__history`'s).
 */
export async function installRowHistoryTriggers(tx: Queryable, table: string): Promise<void> {
  const { schema, name } = await placeOf(tx, table);
  const qualified = `${quote(schema)}.${quote(name)}`;
  const recorder = `${quote(schema)}.${quote(recorderName(name))}`;
  if (recorderName(name).length > 63) throw new Error(`Table name ${name} is too long to version`);
  const keys = await keyColumns(tx, qualified);
  await tx.query(recorderFunction(schema, name, keys, await tableColumns(tx, qualified)));
  for (const [event, transitions] of Object.entries(ROW_HISTORY_TRIGGERS)) {
    await tx.query(`DROP TRIGGER IF EXISTS row_history_${event} ON ${qualified}`);
    await tx.query(
      `CREATE TRIGGER row_history_${event} AFTER ${event.toUpperCase()} ON ${qualified}
       REFERENCING ${transitions} FOR EACH STATEMENT EXECUTE FUNCTION ${recorder}()`,
    );
  }
}

/**
 * Drops the trigger function a table of the current schema had under `name`, once the table is
 * gone or renamed, and any trigger still calling it (never one further along the search path).
 */
export async function dropRowHistoryTriggers(tx: Queryable, name: string): Promise<void> {
  const [{ schema }] = await tx.query('SELECT current_schema() AS schema');
  await tx.query(`DROP FUNCTION IF EXISTS ${quote(schema)}.${quote(recorderName(name))}() CASCADE`);
}

/**
 * Creates an empty `T__history` for a table, in the table's own schema (never one found
 * further along the search path), and the triggers that keep it.
 */
export async function createRowHistory(tx: Queryable, table: string): Promise<void> {
  const keys = (await keyColumns(tx, table)).join(', ');
  const { schema, name } = await placeOf(tx, table);
  const history = `"${schema}"."${historyTable(name)}"`;
  await tx.query(`DROP TABLE IF EXISTS ${history}`);
  // No constraints copied: an `absent` version holds only its key.
  await tx.query(`CREATE TABLE ${history} AS SELECT * FROM ${table} WITH NO DATA`);
  await tx.query(
    `ALTER TABLE ${history} ADD COLUMN valid_from bigint NOT NULL, ADD COLUMN valid_to bigint NOT NULL,
       ADD COLUMN absent boolean NOT NULL`,
  );
  await tx.query(`CREATE UNIQUE INDEX ON ${history} (${keys}, valid_to)`);
  await tx.query(historyPositionIndex(history));
  await installRowHistoryTriggers(tx, table);
}

/**
 * The index that finds a history's versions by where they ended, and with them those current at
 * a position P (`valid_to > P AND valid_from <= P AND NOT absent`): a B-tree of `valid_to`, then
 * `valid_from` and `absent`, so a read at P walks the entries of the versions replaced after P
 * and reaches the heap only for the one of each key that was current at P. The same index finds
 * a batch's versions (`valid_to = last`) and the pruned ones (`valid_to <= horizon`). It grows at
 * its right-hand end only, since versions are recorded in log order, which made it far cheaper
 * to keep than the GiST range index it replaced (docs/auditing.md#row-history-indexes).
 */
export const historyPositionIndex = (history: string) =>
  `CREATE INDEX ON ${history} (valid_to, valid_from, absent)`;

/** The condition on a history's rows that holds for the versions current at `position`. */
const currentAt = (position: number | string) =>
  `valid_to > ${position} AND valid_from <= ${position} AND NOT absent`;

/**
 * The rows of a versioned table as they stood at a batch boundary: the live rows that no batch
 * after `position` changed, and for the others the version current at it (each key's versions
 * cover contiguous position ranges `[valid_from, valid_to)`).
 */
export function rowsAtBoundary(
  table: string,
  keys: readonly string[],
  columns: readonly string[],
  position: number,
): string {
  const quoted = (names: readonly string[]) => names.map((name) => `"${name}"`).join(', ');
  const list = quoted(columns);
  const sameKey = keys.map((key) => `h."${key}" = t."${key}"`).join(' AND ');
  return `
    SELECT ${list} FROM ${table} t
     WHERE NOT EXISTS (
       SELECT FROM ${historyTable(table)} h WHERE ${sameKey} AND h.valid_to > ${position})
    UNION ALL
    SELECT ${list} FROM ${historyTable(table)} WHERE ${currentAt(position)}`;
}
