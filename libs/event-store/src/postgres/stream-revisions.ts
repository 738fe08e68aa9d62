import { StreamRevisionConflict } from '../errors.js';
import type { ExpectedRevision, NewEvent, StreamWrite } from '../event-store.js';
import { byStreamId, compareCodePoints } from './stream-order.js';

export type EventRowToInsert = { streamId: string; revision: number; event: NewEvent };

/** An append that fits: its events with their revisions, and the revisions its checks found. */
export type PlannedAppend = { rows: EventRowToInsert[]; checked: Map<string, number> };

export type RevisionPlan = {
  /** Per append: what it writes, or its conflict; undefined where skipped. */
  outcomes: (PlannedAppend | { conflict: StreamRevisionConflict } | undefined)[];
  /** Streams that exist and move on, and streams the group creates: their new revisions. */
  moved: Map<string, number>;
  created: Map<string, number>;
};

/**
 * Checks each append against the streams' revisions as the appends before it in the group
 * leave them, exactly as if they had run one after another: an append whose expectation fails
 * changes nothing (all of its streams or none) and gets the conflict it would have got alone.
 * `stored` holds each existing stream's revision; a stream it lacks does not exist.
 */
export function planRevisions(
  stored: ReadonlyMap<string, number>,
  appends: readonly (StreamWrite[] | undefined)[],
): RevisionPlan {
  const current = new Map(stored);
  const outcomes: RevisionPlan['outcomes'] = appends.map((writes) => {
    if (!writes) return undefined;
    const firstRevisions = new Map<string, number>();
    const checked = new Map<string, number>();
    // Checked in the order the single-append path locks them, so the same conflict is named.
    for (const { streamId, expectedRevision, events } of [...writes].sort(byStreamId)) {
      const actual = current.get(streamId) ?? -1;
      if (!fitsExpectation(expectedRevision, actual))
        return { conflict: new StreamRevisionConflict(streamId, expectedRevision, actual) };
      if (events.length === 0) checked.set(streamId, actual);
      else firstRevisions.set(streamId, actual + 1);
    }
    for (const { streamId, events } of writes) {
      if (events.length > 0)
        current.set(streamId, firstRevisions.get(streamId)! + events.length - 1);
    }
    return {
      checked,
      rows: writes.flatMap(({ streamId, events }) =>
        events.map((event, index) => ({
          streamId,
          revision: firstRevisions.get(streamId)! + index,
          event,
        })),
      ),
    };
  });
  const moved = new Map<string, number>();
  const created = new Map<string, number>();
  // In lock order: creating a stream another append creates too waits on it like a lock.
  for (const [streamId, revision] of [...current].sort(([a], [b]) => compareCodePoints(a, b))) {
    const before = stored.get(streamId);
    if (before === undefined) created.set(streamId, revision);
    else if (before !== revision) moved.set(streamId, revision);
  }
  return { outcomes, moved, created };
}

/** Whether a stream at `actual` (-1: no stream) is what the writer expected. */
export function fitsExpectation(expected: ExpectedRevision, actual: number): boolean {
  return (
    expected === 'any' ||
    (expected === 'no_stream' && actual === -1) ||
    (expected === 'stream_exists' && actual >= 0) ||
    expected === actual
  );
}
