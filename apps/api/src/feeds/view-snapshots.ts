import { type ProjectionCommit, type ReadAnswer } from '#projections';
import {
  Observable,
  Subject,
  concatMap,
  defer,
  filter,
  finalize,
  forkJoin,
  from,
  startWith,
  take,
  throttle,
  timer,
} from 'rxjs';

/** The least time between the starts of two reads of one view. */
export const READ_INTERVAL_MS = 25;

/**
 * The snapshots of one view: one read at once (a batch committed just before announced itself
 * to no one), then one after the commits that could change it.
 */
export function viewSnapshots<T>(
  commits: Observable<ProjectionCommit>,
  sources: readonly string[],
  read: () => Promise<ReadAnswer<T>>,
): Observable<ReadAnswer<T>> {
  const asks = commits.pipe(
    filter((commit) => 'resync' in commit || sources.includes(commit.projection)),
    startWith(undefined),
  );
  return readWhenAsked(asks, read);
}

/**
 * Reads at once when asked while idle. Asks that come while a read runs, or within
 * `READ_INTERVAL_MS` of its start, are answered by one more read as soon as both are over: an
 * ask waits for at most one read and that interval, however busy the log. (A debounce waited
 * for a quiet spell instead, which a busy log never has.) One read at a time, so the answers
 * come in order and reads never queue up behind a slow one.
 */
export function readWhenAsked<T>(asks: Observable<unknown>, read: () => Promise<T>): Observable<T> {
  return defer(() => {
    const readEnded = new Subject<void>();
    return asks.pipe(
      throttle(() => forkJoin([readEnded.pipe(take(1)), timer(READ_INTERVAL_MS)]), {
        leading: true,
        trailing: true,
      }),
      concatMap(() => from(read()).pipe(finalize(() => readEnded.next()))),
    );
  });
}
