import { type MessageEvent } from '@nestjs/common';
import { type ProjectionCommit, type ReadAnswer } from '#projections';
import { Observable, concatMap, debounceTime, filter, from, map, merge, of } from 'rxjs';

/** The position a client last received, from the `Last-Event-ID` header (0 when absent or bad). */
export function lastEventPosition(header: string | undefined): number {
  const position = Number(header);
  return Number.isSafeInteger(position) && position > 0 ? position : 0;
}

/**
 * A change feed of one view: a snapshot right away (unless the client already has this
 * position), then a new snapshot after every projection batch that could change it, each
 * with the log position it reflects as its id. Snapshots are consistent reads, so a client
 * never sees a half-applied batch; a reconnecting client sends the last id it got and receives
 * only later snapshots: no gap (a snapshot holds every change up to its position) and no
 * duplicate (ids only grow).
 */
export function changeFeed<T>(options: {
  commits: Observable<ProjectionCommit>;
  /** The projections the view reads: only their commits trigger a read. */
  sources: readonly string[];
  after: number;
  type: string;
  read: () => Promise<ReadAnswer<T>>;
}): Observable<MessageEvent> {
  let sent = options.after;
  const triggers = merge(
    of(null),
    options.commits.pipe(
      filter((commit) => 'resync' in commit || options.sources.includes(commit.projection)),
      // A batch commits in every projection at nearly the same moment: read once for them.
      debounceTime(25),
    ),
  );
  return triggers.pipe(
    concatMap(() => from(options.read())),
    filter((answer) => answer.position > sent),
    map((answer) => {
      sent = answer.position;
      return { id: String(answer.position), type: options.type, data: answer };
    }),
  );
}
