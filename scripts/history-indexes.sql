-- What a row history's read indexes cost to keep, and what they give a read as known at P
-- (docs/benchmarks.md, "Reads as known at a time, and the write cost of row history"):
--
--   psql postgres://postgres@127.0.0.1:5432/test -f scripts/history-indexes.sql
--
-- In a schema of its own (dropped at the end): 50,000 keys of 20 versions each, recorded in log
-- order in 200 statements of 5,000 rows, into three histories that differ only in their read
-- indexes: none (the key's unique index alone), the B-tree of version ends the histories have
-- (`historyPositionIndex`), and the design before it (a B-tree of `valid_to` and a partial GiST
-- index of `[valid_from, valid_to)`). Then the versions current at a position far back, halfway
-- and near the head, read as `rowsAtBoundary` reads them from each. Last, the recorder's
-- statement itself: each version's start found by a probe of the key's index, with the key
-- skipped when that probe finds it recorded at the batch already (the recorder of now), and
-- with `ON CONFLICT DO NOTHING` on the key and position instead (the one before).
\set ON_ERROR_STOP on
DROP SCHEMA IF EXISTS history_indexes CASCADE;
CREATE SCHEMA history_indexes;
SET search_path TO history_indexes;

CREATE TABLE versions AS
  SELECT k, (j * 100000 + k * 2)::bigint AS valid_to,
         CASE WHEN j = 0 THEN 0 ELSE (j - 1) * 100000 + k * 2 END::bigint AS valid_from,
         j = 0 AS absent, md5(k::text || '.' || j::text) AS payload
    FROM generate_series(0, 19) j, generate_series(1, 50000) k;
CREATE INDEX ON versions (valid_to);
ANALYZE versions;

CREATE TABLE by_key (k int, payload text, valid_from bigint NOT NULL, valid_to bigint NOT NULL,
                     absent boolean NOT NULL);
CREATE UNIQUE INDEX ON by_key (k, valid_to);
CREATE TABLE by_end (LIKE by_key);
CREATE UNIQUE INDEX ON by_end (k, valid_to);
CREATE INDEX ON by_end (valid_to, valid_from, absent);
CREATE TABLE by_range (LIKE by_key);
CREATE UNIQUE INDEX ON by_range (k, valid_to);
CREATE INDEX ON by_range (valid_to);
CREATE INDEX ON by_range USING gist (int8range(valid_from, valid_to)) WHERE NOT absent;

CREATE TABLE probed (LIKE by_key);
CREATE UNIQUE INDEX ON probed (k, valid_to);
CREATE TABLE on_conflict (LIKE by_key);
CREATE UNIQUE INDEX ON on_conflict (k, valid_to);

CREATE PROCEDURE record_into(history text) LANGUAGE plpgsql AS $$
DECLARE
  started timestamptz := clock_timestamp();
BEGIN
  FOR batch IN 0..199 LOOP
    EXECUTE format(
      'INSERT INTO %I SELECT k, payload, valid_from, valid_to, absent FROM versions
        WHERE valid_to >= $1 AND valid_to < $2', history)
      USING batch * 10000, (batch + 1) * 10000;
    COMMIT;
  END LOOP;
  RAISE NOTICE 'recording 1M versions into %: % ms', history,
    round(extract(epoch FROM clock_timestamp() - started) * 1000);
END $$;

-- As the recorders write: `valid_from` probed, a key recorded at the batch already skipped.
CREATE PROCEDURE probe_into(history text, skip_by_probe boolean) LANGUAGE plpgsql AS $$
DECLARE
  started timestamptz := clock_timestamp();
BEGIN
  FOR batch IN 0..199 LOOP
    IF skip_by_probe THEN
      EXECUTE format(
        'INSERT INTO %1$I SELECT r.k, r.payload, coalesce(previous.ended, 0), r.valid_to, r.absent
           FROM versions r CROSS JOIN LATERAL
                (SELECT max(p.valid_to) AS ended FROM %1$I p WHERE p.k = r.k) previous
          WHERE r.valid_to >= $1 AND r.valid_to < $2 AND previous.ended IS DISTINCT FROM r.valid_to',
        history) USING batch * 10000, (batch + 1) * 10000;
    ELSE
      EXECUTE format(
        'INSERT INTO %1$I SELECT r.k, r.payload,
                coalesce((SELECT max(p.valid_to) FROM %1$I p WHERE p.k = r.k), 0), r.valid_to, r.absent
           FROM versions r WHERE r.valid_to >= $1 AND r.valid_to < $2
         ON CONFLICT DO NOTHING', history) USING batch * 10000, (batch + 1) * 10000;
    END IF;
    COMMIT;
  END LOOP;
  RAISE NOTICE 'recording 1M versions into % as a recorder does: % ms', history,
    round(extract(epoch FROM clock_timestamp() - started) * 1000);
END $$;

CALL record_into('by_key');
CALL record_into('by_end');
CALL record_into('by_range');
VACUUM ANALYZE by_end;
VACUUM ANALYZE by_range;

\timing on
\echo 'Versions current at 100,001 (far back), 1,000,001 (halfway), 1,900,001 (near the head): by_end, then by_range'
SELECT count(*) FROM by_end WHERE valid_to > 100001 AND valid_from <= 100001 AND NOT absent;
SELECT count(*) FROM by_range WHERE int8range(valid_from, valid_to) @> 100001::bigint AND NOT absent;
SELECT count(*) FROM by_end WHERE valid_to > 1000001 AND valid_from <= 1000001 AND NOT absent;
SELECT count(*) FROM by_range WHERE int8range(valid_from, valid_to) @> 1000001::bigint AND NOT absent;
SELECT count(*) FROM by_end WHERE valid_to > 1900001 AND valid_from <= 1900001 AND NOT absent;
SELECT count(*) FROM by_range WHERE int8range(valid_from, valid_to) @> 1900001::bigint AND NOT absent;
\timing off

CALL probe_into('on_conflict', false);
CALL probe_into('probed', true);

RESET search_path;
DROP SCHEMA history_indexes CASCADE;
