/**
 * Row history: each read-model table `T` may have a `T__history` beside it, holding every row
 * version a batch replaced. A versioned table's rows carry where their version began
 * (`valid_from`, the position of the batch that inserted or last updated them), and a replaced
 * version keeps it and gets where it ended (`valid_to`, the position of the batch that replaced
 * it): the version was the current one for every position in `[valid_from, valid_to)`. A row
 * inserted after P has `valid_from > P`, so no history row is needed to say it was not there.
 * The live row's `valid_from` comes from its column default on insert and from a row trigger
 * on update; the replaced versions are written by statement triggers from the transition
 * table (set-based, like the projections' own writes). Both read the batch position the runner
 * sets in the transaction (`atBatchPosition`). Writes outside a batch (no position set) leave
 * no history and keep a row's start (0 for a row inserted so): such a write (a migration's
 * backfill) should only change values, since a row it inserts or moves stands for every
 * position.
 */
export const HISTORY_SUFFIX = '__history';

export const historyTable = (table: string) => `${table}${HISTORY_SUFFIX}`;

/** The column of a versioned table, and of its history, that holds where a version began. */
export const VERSION_START = 'valid_from';

const POSITION_SETTING = 'campaign_ledger.batch_position';

/** The batch position the runner set in this transaction, NULL outside a batch. */
const BATCH_POSITION = `nullif(current_setting('${POSITION_SETTING}', true), '')::bigint`;

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

/**
 * A table's columns, in order, without the start of its rows' versions (`VERSION_START`): what
 * the read model holds. Where a version began depends on where the batches ended, so two
 * builds of the same read model (live and rebuilt) differ there and only there.
 */
export async function tableColumns(tx: Queryable, table: string): Promise<string[]> {
  const rows: { column: string }[] = await tx.query(
    `SELECT attname AS column FROM pg_attribute
      WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped AND attname <> $2
      ORDER BY attnum`,
    [table, VERSION_START],
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
 * The row trigger function that moves an updated row of `T` to the batch: `start_T__history`.
 * One per table, like the recorder, so that the concurrent transactions of a rebuild's start
 * never write the same function.
 */
const stampName = (name: string) => `start_${historyTable(name)}`;

/**
 * The column default and row trigger function that keep a versioned row's start: on insert
 * and on each update in a batch, the batch's position; outside a batch, 0 on insert and the
 * start it had on update.
 */
const versionStartDefault = `coalesce(${BATCH_POSITION}, 0)`;
const stampFunction = (schema: string, name: string) => `
  CREATE OR REPLACE FUNCTION ${quote(schema)}.${quote(stampName(name))}() RETURNS trigger
  LANGUAGE plpgsql AS $stamp$
  DECLARE
    batch bigint := ${BATCH_POSITION};
  BEGIN
    IF batch IS NOT NULL THEN NEW.${VERSION_START} := batch; END IF;
    RETURN NEW;
  END $stamp$`;

/**
 * One table's trigger function, after an update or a delete: it appends the versions the
 * statement replaced, as they were, ending at the batch. A version that began at this batch
 * (inserted, or updated already, by an earlier statement of the batch) is recorded as the
 * empty range `[batch, batch)`: no read at a boundary finds it, and it tells a read inside
 * the batch that the key was there for a while (a key inserted and deleted, or moved, within
 * the batch ends the batch with no other trace). So recording needs no look-up: no index of
 * the key, only an append to the history's heap and to its B-tree of ends (at its right-hand
 * end, since batches come in log order). Its statement names the table's history and columns,
 * so PL/pgSQL plans it once per session. The position is qualified by the block's label,
 * since a table may have a column of its name.
 */
function recorderFunction(schema: string, name: string, columns: readonly string[]): string {
  const history = `${quote(schema)}.${quote(historyTable(name))}`;
  const list = [...columns, VERSION_START].map(quote);
  return `
  CREATE OR REPLACE FUNCTION ${quote(schema)}.${quote(recorderName(name))}() RETURNS trigger
  LANGUAGE plpgsql AS $recorder$
  <<recorder>>
  DECLARE
    batch bigint := ${BATCH_POSITION};
  BEGIN
    IF recorder.batch IS NULL THEN RETURN NULL; END IF;
    INSERT INTO ${history} (${list.join(', ')}, valid_to)
    SELECT ${list.map((column) => `r.${column}`).join(', ')}, recorder.batch
      FROM old_rows r;
    RETURN NULL;
  END $recorder$`;
}

/**
 * The statement triggers that keep a history, by event, with the transition table each sees.
 * An insert needs none: the inserted row's start says it was not there before.
 */
const ROW_HISTORY_TRIGGERS = {
  update: 'OLD TABLE AS old_rows',
  delete: 'OLD TABLE AS old_rows',
};

/** The triggers of the designs before, dropped when a table's triggers are installed again. */
const EARLIER_TRIGGERS = ['row_history_insert'];

/**
 * (Re)creates the table's trigger functions and the triggers that keep its history, for the
 * table's current name and columns: after a rename (a rebuild's swap) or a change of columns
 * (a migration that also changes `T__history`'s).
 */
export async function installRowHistoryTriggers(tx: Queryable, table: string): Promise<void> {
  const { schema, name } = await placeOf(tx, table);
  const qualified = `${quote(schema)}.${quote(name)}`;
  const recorder = `${quote(schema)}.${quote(recorderName(name))}`;
  if (recorderName(name).length > 63) throw new Error(`Table name ${name} is too long to version`);
  await tx.query(recorderFunction(schema, name, await tableColumns(tx, qualified)));
  await tx.query(stampFunction(schema, name));
  for (const trigger of [...EARLIER_TRIGGERS, 'row_version_start']) {
    await tx.query(`DROP TRIGGER IF EXISTS ${trigger} ON ${qualified}`);
  }
  await tx.query(
    `CREATE TRIGGER row_version_start BEFORE UPDATE ON ${qualified}
     FOR EACH ROW EXECUTE FUNCTION ${quote(schema)}.${quote(stampName(name))}()`,
  );
  for (const [event, transitions] of Object.entries(ROW_HISTORY_TRIGGERS)) {
    await tx.query(`DROP TRIGGER IF EXISTS row_history_${event} ON ${qualified}`);
    await tx.query(
      `CREATE TRIGGER row_history_${event} AFTER ${event.toUpperCase()} ON ${qualified}
       REFERENCING ${transitions} FOR EACH STATEMENT EXECUTE FUNCTION ${recorder}()`,
    );
  }
}

/**
 * Gives a table the start of its rows' versions, if it has none: 0 for the rows it holds (they
 * stand for every position), then the batch's position for rows it inserts.
 */
export async function addVersionStart(tx: Queryable, table: string): Promise<void> {
  await tx.query(
    `ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS ${VERSION_START} bigint NOT NULL DEFAULT 0`,
  );
  await tx.query(
    `ALTER TABLE ${table} ALTER COLUMN ${VERSION_START} SET DEFAULT ${versionStartDefault}`,
  );
}

/**
 * Drops the trigger functions a table of the current schema had under `name`, once the table is
 * gone or renamed, and any trigger still calling it (never one further along the search path).
 */
export async function dropRowHistoryTriggers(tx: Queryable, name: string): Promise<void> {
  const [{ schema }] = await tx.query('SELECT current_schema() AS schema');
  for (const fn of [recorderName(name), stampName(name)]) {
    await tx.query(`DROP FUNCTION IF EXISTS ${quote(schema)}.${quote(fn)}() CASCADE`);
  }
}

/**
 * Creates an empty `T__history` for a table, in the table's own schema (never one found
 * further along the search path), gives the table the start of its rows' versions, and
 * installs the triggers that keep both.
 */
export async function createRowHistory(tx: Queryable, table: string): Promise<void> {
  const { schema, name } = await placeOf(tx, table);
  const qualified = `${quote(schema)}.${quote(name)}`;
  const history = `${quote(schema)}.${quote(historyTable(name))}`;
  await addVersionStart(tx, qualified);
  await tx.query(`DROP TABLE IF EXISTS ${history}`);
  // No constraints copied: a key has a version per batch that replaced it.
  await tx.query(`CREATE TABLE ${history} AS SELECT * FROM ${qualified} WITH NO DATA`);
  await tx.query(
    `ALTER TABLE ${history} ALTER COLUMN ${VERSION_START} SET NOT NULL,
       ADD COLUMN valid_to bigint NOT NULL`,
  );
  await tx.query(historyPositionIndex(history));
  await installRowHistoryTriggers(tx, qualified);
}

/**
 * The index that finds a history's versions by where they ended, and with them those current
 * at a position P (`valid_to > P AND valid_from <= P`): a B-tree of `valid_to`, then
 * `valid_from`, so a read at P walks the entries of the versions replaced after P and reaches
 * the heap only for the one of each key that was current at P. The same index finds a batch's
 * versions (`valid_to = last`) and the pruned ones (`valid_to <= horizon`). It grows at its
 * right-hand end only, since versions are recorded in log order, which made it far cheaper to
 * keep than the GiST range index it replaced (docs/auditing.md#row-history-indexes). It is the
 * history's only index: recording looks nothing up.
 */
export const historyPositionIndex = (history: string) =>
  `CREATE INDEX ON ${history} (valid_to, valid_from)`;

/**
 * The rows of a versioned table as they stood at a batch boundary: the live rows whose version
 * began at or before `position`, and the replaced versions current at it.
 */
export function rowsAtBoundary(
  table: string,
  columns: readonly string[],
  position: number,
): string {
  const list = columns.map((name) => `"${name}"`).join(', ');
  return `
    SELECT ${list} FROM ${table} WHERE ${VERSION_START} <= ${position}
    UNION ALL
    SELECT ${list} FROM ${historyTable(table)}
     WHERE valid_to > ${position} AND ${VERSION_START} <= ${position}`;
}
