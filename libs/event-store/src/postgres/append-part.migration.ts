import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `append_part`: one call of a group committed at once (docs/event-store.md, "One round trip for
 * large groups"), with the parameters of `append_group` (`AppendGroupInParts1763900007000`) and
 * the same checks, for less work per event:
 *
 * - it answers the position of the part's first event, not a row per event: the part's events
 *   take consecutive positions under the append lock (it raises if they did not), so the caller
 *   knows every other one;
 * - an event id recorded before: `events_event_id_key` refuses the INSERT, where `append_group`
 *   first looked every id up;
 * - a stream another transaction created since the streams were looked up: the plain INSERT of
 *   its row (no `ON CONFLICT`, which probed each key again before inserting and logged a second
 *   record per row) meets `event_streams_pkey`. Every stream is still looked up first, and the
 *   existing ones locked, in the one lock order: a stream wrongly counted as new is refused by
 *   the revision check (`LA001`), not locked out of order by its INSERT.
 *
 * Each refusal raises SQLSTATE 23505 naming its constraint: the caller treats these two like
 * `LA001`, rolls back and runs the group the three-trip way, which gives each append its own
 * answer. `append_group` stays, for a process of the version before during a rolling upgrade.
 */
export class AppendPart1763900008000 implements MigrationInterface {
  name = 'AppendPart1763900008000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE FUNCTION append_part(
        w_stream text[], w_expected bigint[], w_last bigint[], e_absent text[],
        e_id uuid[], e_stream text[], e_revision bigint[], e_type text[], e_schema int[],
        e_occurred timestamptz[], e_content bytea, c_before int[], c_after int[],
        c_data_at int[], c_data int[], c_metadata_at int[], c_metadata int[], follows boolean)
      RETURNS bigint
      LANGUAGE plpgsql
      -- Every table it reads it reads by key (see AppendGroupInParts1763900007000).
      SET enable_seqscan = off
      AS $fn$
      #variable_conflict use_column
      DECLARE
        misfits int;
        head_hash bytea;
        head_recorded timestamptz;
        recorded timestamptz;
        recorded_bytes bytea;
        starts int[];
        hashes bytea[];
        links bytea[];
        previous bytea;
        at int := 1;
        first_position bigint;
        last_position bigint;
        inserted int;
      BEGIN
        IF cardinality(w_stream) > 0 THEN
          -- Every stream of the group, new ones too, looked up and the existing ones locked in
          -- the one lock order (stream-order.ts) before any row is written, and compared with
          -- the revisions expected in the same statement. Leaving the new ones out would lock a
          -- stream the group wrongly counts as new (it exists: a stale no_stream) out of that
          -- order, at its INSERT, after the others: a deadlock with an append that holds it and
          -- waits for one of them.
          SELECT count(*) INTO misfits
            FROM unnest(w_stream, w_expected) AS w (sid, expected)
            LEFT JOIN (SELECT s.stream_id, s.revision FROM event_streams s
                       WHERE s.stream_id = ANY(w_stream)
                       ORDER BY s.stream_id COLLATE "C" FOR UPDATE) AS s ON s.stream_id = w.sid
            WHERE coalesce(s.revision, -1) <> w.expected;
          IF misfits > 0 THEN
            RAISE EXCEPTION 'a stream is not at the revision expected' USING ERRCODE = 'LA001';
          END IF;
          UPDATE event_streams AS s SET revision = w.last
            FROM unnest(w_stream, w_expected, w_last) AS w (sid, expected, last)
            WHERE s.stream_id = w.sid AND w.expected >= 0 AND w.last <> w.expected;
          -- A stream another transaction created since the look-up (not committed then) raises
          -- 23505 on event_streams_pkey here.
          INSERT INTO event_streams (stream_id, revision)
            SELECT w.sid, w.last FROM unnest(w_stream, w_expected, w_last) AS w (sid, expected, last)
            WHERE w.expected = -1 AND w.last >= 0
            ORDER BY w.sid COLLATE "C";
        END IF;
        -- The streams' call inserts no event and takes no append lock: the first part takes it,
        -- once the database has that part whole.
        IF cardinality(e_id) = 0 THEN
          RETURN NULL;
        END IF;
        PERFORM pg_advisory_xact_lock(7243, 1);
        -- A stream checked as absent had no row to lock: it must still be absent under the lock.
        IF cardinality(e_absent) > 0
           AND EXISTS (SELECT 1 FROM event_streams s WHERE s.stream_id = ANY(e_absent)) THEN
          RAISE EXCEPTION 'a stream checked as absent exists' USING ERRCODE = 'LA001';
        END IF;
        SELECT last.hash, last.recorded_at,
               greatest(date_trunc('milliseconds', clock_timestamp()), last.recorded_at)
          INTO head_hash, head_recorded, recorded
          FROM (SELECT 1) AS one
          LEFT JOIN (SELECT e.hash, e.recorded_at FROM events e
                     ORDER BY e.global_position DESC LIMIT 1) AS last ON true;
        -- A part that follows one of its group's follows its last event: one record time for the
        -- whole group.
        IF follows THEN
          recorded := head_recorded;
        END IF;
        recorded_bytes := convert_to(
          '"' || to_char(recorded AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || '"', 'UTF8');
        previous := coalesce(head_hash, decode(repeat('00', 32), 'hex'));
        hashes := array_fill(NULL::bytea, ARRAY[cardinality(e_id)]);
        links := hashes;
        starts := array_fill(0, ARRAY[cardinality(e_id)]);
        FOR i IN 1 .. cardinality(e_id) LOOP
          starts[i] := at;
          links[i] := previous;
          previous := sha256(previous || substring(e_content FROM at FOR c_before[i]) || recorded_bytes
                             || substring(e_content FROM at + c_before[i] FOR c_after[i]));
          hashes[i] := previous;
          at := at + c_before[i] + c_after[i];
        END LOOP;
        IF at - 1 <> octet_length(e_content) THEN
          RAISE EXCEPTION 'the content of the events does not add up to the bytes sent';
        END IF;
        -- An event id recorded before raises 23505 on events_event_id_key.
        WITH stored AS (
          INSERT INTO events AS ev (event_id, stream_id, stream_revision, type, schema_version, data,
                                    metadata, occurred_at, recorded_at, hash, previous_hash)
          SELECT r.event_id, r.sid, r.revision, r.type, r.schema_version,
                 convert_from(substring(e_content FROM r.start + r.data_at FOR r.data), 'UTF8')::jsonb,
                 convert_from(substring(e_content FROM r.start + r.metadata_at FOR r.metadata), 'UTF8')::jsonb,
                 r.occurred_at, recorded, r.hash, r.previous_hash
          FROM ROWS FROM (unnest(e_id), unnest(e_stream), unnest(e_revision), unnest(e_type),
                          unnest(e_schema), unnest(e_occurred), unnest(hashes), unnest(links),
                          unnest(starts), unnest(c_data_at), unnest(c_data), unnest(c_metadata_at),
                          unnest(c_metadata))
            WITH ORDINALITY AS r (event_id, sid, revision, type, schema_version, occurred_at, hash,
                                  previous_hash, start, data_at, data, metadata_at, metadata, n)
          ORDER BY r.n
          RETURNING ev.global_position)
        SELECT min(global_position), max(global_position), count(*)
          INTO first_position, last_position, inserted FROM stored;
        -- The caller counts the part's positions on from the first: they must run on unbroken.
        IF last_position - first_position + 1 <> inserted THEN
          RAISE EXCEPTION 'the events of a part did not take consecutive positions';
        END IF;
        RETURN first_position;
      END
      $fn$`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(
      'DROP FUNCTION append_part(text[], bigint[], bigint[], text[], uuid[], text[], bigint[], text[], int[], timestamptz[], bytea, int[], int[], int[], int[], int[], int[], boolean)',
    );
  }
}
