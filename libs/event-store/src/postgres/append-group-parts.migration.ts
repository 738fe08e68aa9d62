import type { MigrationInterface, QueryRunner } from 'typeorm';
import { AppendGroupFunction1763900005000 } from './append-group.migration.js';

/**
 * `append_group` in parts, its events' content as bytes (docs/event-store.md, "one round
 * trip"). A group is one transaction of several calls, pipelined:
 *
 * - one with the group's streams (`w_*`) and no events: it checks, locks and moves every
 *   stream, in the one lock order;
 * - then one per part of the events, in the order of the chain. Each takes the append lock (the
 *   first takes it, the others hold it already); a call runs only once the database has it
 *   whole, so the lock is not taken while the library encodes the first part (it is held, from
 *   then to the commit, while the database waits for a later part still being encoded). The
 *   first part (`follows` false) checks the streams in `e_absent` (writes that check a stream is
 *   absent) under it and takes the record time; the others chain on from the part before with
 *   its record time, so that the whole group has one.
 *
 * The database works on the streams and on each part while the library encodes the next.
 *
 * Each event's canonical content comes as UTF-8 in one `bytea` (sent in binary: nothing is
 * escaped or parsed on the way), the part before the record time and the part after it one
 * after another, event after event; `c_before` and `c_after` are their lengths in bytes, and
 * `data` and `metadata` are read where `c_data_at`/`c_metadata_at` (offsets in the part
 * before) and `c_data`/`c_metadata` (lengths) say. Each hash is sha256(previous hash ‖
 * before "recorded at" after), exactly as `chainHash` computes it. The content must add up to
 * the bytes sent, or the call raises.
 *
 * It replaces the function of `AppendGroupFunction1763900005000`: a process of the version
 * before finds no function of the signature it calls, and commits its groups the three-trip way.
 */
export class AppendGroupInParts1763900007000 implements MigrationInterface {
  name = 'AppendGroupInParts1763900007000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(
      'DROP FUNCTION append_group(text[], bigint[], bigint[], uuid[], text[], bigint[], text[], int[], timestamptz[], json, json, json, json)',
    );
    await db.query(`
      CREATE FUNCTION append_group(
        w_stream text[], w_expected bigint[], w_last bigint[], e_absent text[],
        e_id uuid[], e_stream text[], e_revision bigint[], e_type text[], e_schema int[],
        e_occurred timestamptz[], e_content bytea, c_before int[], c_after int[],
        c_data_at int[], c_data int[], c_metadata_at int[], c_metadata int[], follows boolean)
      RETURNS TABLE (stream_id text, stream_revision bigint, global_position bigint)
      LANGUAGE plpgsql
      -- Every table it reads it reads by key. A plan cached while a new store's tables were
      -- small would scan them whole, and go on doing so as they grow (parts of 100 events took
      -- four times as long in a fresh database); this costs about 3% on a large store.
      SET enable_seqscan = off
      AS $fn$
      #variable_conflict use_column
      DECLARE
        misfits int;
        created int;
        head_hash bytea;
        head_recorded timestamptz;
        recorded timestamptz;
        recorded_bytes bytea;
        starts int[];
        hashes bytea[];
        links bytea[];
        previous bytea;
        at int := 1;
      BEGIN
        IF EXISTS (SELECT 1 FROM events e WHERE e.event_id = ANY(e_id)) THEN
          RAISE EXCEPTION 'an event id of the group was recorded before' USING ERRCODE = 'LA001';
        END IF;
        IF cardinality(w_stream) > 0 THEN
          -- The existing streams, locked in the one lock order (stream-order.ts), and compared
          -- with the revisions expected in the same statement.
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
        END IF;
        -- The streams' call inserts nothing and takes no append lock: the first part takes it,
        -- once the database has that part whole.
        IF cardinality(e_id) = 0 THEN
          RETURN;
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
        RETURN QUERY
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
          RETURNING ev.stream_id, ev.stream_revision, ev.global_position;
      END
      $fn$`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(
      'DROP FUNCTION append_group(text[], bigint[], bigint[], text[], uuid[], text[], bigint[], text[], int[], timestamptz[], bytea, int[], int[], int[], int[], int[], int[], boolean)',
    );
    await new AppendGroupFunction1763900005000().up(db);
  }
}
