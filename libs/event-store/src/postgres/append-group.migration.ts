import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A group of appends in one statement (docs/event-store.md, "one round trip"): the function
 * does what `writeGroup` does in three round trips, for groups whose every write expects an
 * exact revision or `no_stream` and names a stream no other write of the group names. It
 * answers the group's stored rows, or raises SQLSTATE `LA001` (an id recorded before, a
 * revision that does not fit, a stream created concurrently) having written nothing that
 * survives: the caller rolls back and runs the group the long way, which gives each append its
 * own answer.
 *
 * Per write: the stream, the expected revision (-1: no stream), the revision it leaves (the
 * expected one for a check). Per event, in the order of the chain: id, stream, revision, type,
 * schema version, occurrence time, and the canonical content written out around the record
 * time (`before`, `after`: JSON arrays of strings); `data` and `metadata` are JSON arrays of
 * the documents, stored as jsonb. The record time and the chain's head are read under the
 * append lock, and each event's hash is sha256(previous hash ‖ before "recorded at" after),
 * exactly as `chainHash` computes it.
 */
export class AppendGroupFunction1763900005000 implements MigrationInterface {
  name = 'AppendGroupFunction1763900005000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE FUNCTION append_group(
        w_stream text[], w_expected bigint[], w_last bigint[],
        e_id uuid[], e_stream text[], e_revision bigint[], e_type text[], e_schema int[],
        e_occurred timestamptz[], e_before json, e_after json, e_data json, e_metadata json)
      RETURNS TABLE (stream_id text, stream_revision bigint, global_position bigint)
      LANGUAGE plpgsql AS $fn$
      #variable_conflict use_column
      DECLARE
        misfits int;
        created int;
        head_hash bytea;
        recorded timestamptz;
        recorded_text text;
        befores text[];
        afters text[];
        hashes bytea[];
        links bytea[];
        previous bytea;
      BEGIN
        IF EXISTS (SELECT 1 FROM events e WHERE e.event_id = ANY(e_id)) THEN
          RAISE EXCEPTION 'an event id of the group was recorded before' USING ERRCODE = 'LA001';
        END IF;
        -- The existing streams, locked in the one lock order (stream-order.ts).
        PERFORM 1 FROM event_streams s WHERE s.stream_id = ANY(w_stream)
          ORDER BY s.stream_id COLLATE "C" FOR UPDATE;
        SELECT count(*) INTO misfits
          FROM unnest(w_stream, w_expected) AS w (sid, expected)
          LEFT JOIN event_streams s ON s.stream_id = w.sid
          WHERE coalesce(s.revision, -1) <> w.expected;
        IF misfits > 0 THEN
          RAISE EXCEPTION 'a stream is not at the revision expected' USING ERRCODE = 'LA001';
        END IF;
        UPDATE event_streams AS s SET revision = w.last
          FROM unnest(w_stream, w_expected, w_last) AS w (sid, expected, last)
          WHERE s.stream_id = w.sid AND w.expected >= 0 AND w.last <> w.expected;
        INSERT INTO event_streams (stream_id, revision)
          SELECT w.sid, w.last FROM unnest(w_stream, w_expected, w_last) AS w (sid, expected, last)
          WHERE w.expected = -1 AND w.last >= 0
          ORDER BY w.sid COLLATE "C"
          ON CONFLICT ON CONSTRAINT event_streams_pkey DO NOTHING;
        GET DIAGNOSTICS created = ROW_COUNT;
        IF created <> (SELECT count(*) FROM unnest(w_expected, w_last) AS w (expected, last)
                       WHERE w.expected = -1 AND w.last >= 0) THEN
          RAISE EXCEPTION 'a stream of the group was created concurrently' USING ERRCODE = 'LA001';
        END IF;
        PERFORM pg_advisory_xact_lock(7243, 1);
        -- A stream checked as absent had no row to lock: it must still be absent under the lock.
        IF EXISTS (SELECT 1 FROM unnest(w_stream, w_expected, w_last) AS w (sid, expected, last)
                   JOIN event_streams s ON s.stream_id = w.sid
                   WHERE w.expected = -1 AND w.last = -1) THEN
          RAISE EXCEPTION 'a stream checked as absent exists' USING ERRCODE = 'LA001';
        END IF;
        SELECT last.hash, greatest(date_trunc('milliseconds', clock_timestamp()), last.recorded_at)
          INTO head_hash, recorded
          FROM (SELECT 1) AS one
          LEFT JOIN (SELECT e.hash, e.recorded_at FROM events e
                     ORDER BY e.global_position DESC LIMIT 1) AS last ON true;
        recorded_text := to_char(recorded AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"');
        previous := coalesce(head_hash, decode(repeat('00', 32), 'hex'));
        befores := ARRAY(SELECT json_array_elements_text(e_before));
        afters := ARRAY(SELECT json_array_elements_text(e_after));
        hashes := array_fill(NULL::bytea, ARRAY[cardinality(e_id)]);
        links := hashes;
        FOR i IN 1 .. cardinality(e_id) LOOP
          links[i] := previous;
          previous := sha256(previous || convert_to(befores[i] || '"' || recorded_text || '"' || afters[i], 'UTF8'));
          hashes[i] := previous;
        END LOOP;
        RETURN QUERY
          INSERT INTO events AS ev (event_id, stream_id, stream_revision, type, schema_version, data,
                                    metadata, occurred_at, recorded_at, hash, previous_hash)
          SELECT r.event_id, r.sid, r.revision, r.type, r.schema_version, r.data::jsonb,
                 r.metadata::jsonb, r.occurred_at, recorded, r.hash, r.previous_hash
          FROM ROWS FROM (unnest(e_id), unnest(e_stream), unnest(e_revision), unnest(e_type),
                          unnest(e_schema), json_array_elements(e_data),
                          json_array_elements(e_metadata), unnest(e_occurred), unnest(hashes),
                          unnest(links))
            WITH ORDINALITY AS r (event_id, sid, revision, type, schema_version, data, metadata,
                                  occurred_at, hash, previous_hash, n)
          ORDER BY r.n
          RETURNING ev.stream_id, ev.stream_revision, ev.global_position;
      END
      $fn$`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(
      'DROP FUNCTION append_group(text[], bigint[], bigint[], uuid[], text[], bigint[], text[], int[], timestamptz[], json, json, json, json)',
    );
  }
}
