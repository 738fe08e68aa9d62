import { type ProjectionCommit, type ReadAnswer } from '#projections';
import {
  Observable,
  Subject,
  catchError,
  concatMap,
  defer,
  filter,
  finalize,
  forkJoin,
  ignoreElements,
  merge,
  startWith,
  take,
  tap,
  throttle,
  timer,
} from 'rxjs';

/** The least time between the starts of two reads of one view. */
export const READ_INTERVAL_MS = 25;

/** After a failed read, the next is tried this much later, doubling while reads fail, up to the max. */
export const READ_RETRY_MS = 1_000;
const READ_RETRY_MAX_MS = 30_000;

/**
 * The snapshots of one view: one read at once (a batch committed just before announced itself
 * to no one), then one after the commits that could change it. A snapshot's position is the
 * lowest checkpoint of the projections it reads, so only a commit that moves that lowest one
 * past the latest snapshot is worth a read: a batch that three projections commit one after
 * another is read once, after the last of them. What each source announced is a lower bound of
 * its checkpoint; after a resync (notifications were lost) none is known, and any commit reads.
 */
export function viewSnapshots<T>(
  commits: Observable<ProjectionCommit>,
  sources: readonly string[],
  read: () => Promise<ReadAnswer<T>>,
  onReadFailed?: (error: unknown) => void,
): Observable<ReadAnswer<T>> {
  return defer(() => {
    let announced = new Map<string, number>();
    let latest = 0;
    const asks = commits.pipe(
      filter((commit) => {
        if ('resync' in commit) {
          announced = new Map();
          return true;
        }
        if (!sources.includes(commit.projection)) return false;
        const known = announced.get(commit.projection) ?? 0;
        announced.set(commit.projection, Math.max(known, commit.position));
        return Math.min(...announced.values()) > latest;
      }),
      startWith(undefined),
    );
    return readWhenAsked(asks, read, onReadFailed).pipe(
      tap((answer) => (latest = Math.max(latest, answer.position))),
    );
  });
}

/**
 * Reads at once when asked while idle. Asks that come while a read runs, or within
 * `READ_INTERVAL_MS` of its start, are answered by one more read as soon as both are over: an
 * ask waits for at most one read and that interval, however busy the log. (A debounce waited
 * for a quiet spell instead, which a busy log never has.) One read at a time, so the answers
 * come in order and reads never queue up behind a slow one.
 *
 * A read that fails (the database restarting, say) does not end the snapshots, which every
 * follower of the view shares: it is reported to `onReadFailed` and the view is read again
 * after `READ_RETRY_MS` (doubling while reads fail), whether or not anything commits meanwhile.
 */
export function readWhenAsked<T>(
  asks: Observable<unknown>,
  read: () => Promise<T>,
  onReadFailed: (error: unknown) => void = () => undefined,
): Observable<T> {
  return defer(() => {
    const readEnded = new Subject<void>();
    const retries = new Subject<void>();
    let failures = 0;
    return merge(asks, retries).pipe(
      throttle(() => forkJoin([readEnded.pipe(take(1)), timer(READ_INTERVAL_MS)]), {
        leading: true,
        trailing: true,
      }),
      concatMap(() =>
        defer(read).pipe(
          tap(() => (failures = 0)),
          catchError((error: unknown) => {
            onReadFailed(error);
            failures++;
            const wait = Math.min(READ_RETRY_MS * 2 ** (failures - 1), READ_RETRY_MAX_MS);
            // Asks for a read again before this one ends: the throttle's trailing edge reads.
            return timer(wait).pipe(
              tap(() => retries.next()),
              ignoreElements(),
            );
          }),
          finalize(() => readEnded.next()),
        ),
      ),
    );
  });
}
