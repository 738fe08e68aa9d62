import { commitBatch } from './projection-batch.js';
import { type ShadowWork, shadowNames } from './projection-ddl.js';
import type { Projection } from './projection.js';
import { asError, type RunnerContext } from './runner-context.js';

export type Replay = {
  projections: readonly Projection[];
  work: ShadowWork;
  /** The position the shadow tables reflect already. */
  from: number;
  /** The last position to apply (inclusive); the log's end when not given. */
  until?: number;
  /** When given, a projection that fails is recorded here and left behind; otherwise its error stops the replay. */
  failures?: Map<string, Error>;
  /** When given, adds up per projection the events it committed and the time its transactions took. */
  tally?: Map<string, ReplayTally>;
};

/** One projection's share of a replay. */
export type ReplayTally = {
  /** Events of the log it committed. */
  events: number;
  /** Time spent in its transactions, from their start to their commit. */
  transactionMs: number;
};

/**
 * Applies the log after `from`, up to `until`, to the shadow tables named with `work` of every
 * one of `projections`, in large batches: each page is read once (the next one while this one
 * is applied) and each projection commits its part in a transaction of its own, concurrently.
 * Returns the position replayed to.
 */
export async function replay(
  runner: RunnerContext,
  { projections, work, from, until = Number.POSITIVE_INFINITY, failures, tally }: Replay,
): Promise<number> {
  const pageSize = runner.settings.rebuildBatchSize;
  const readPage = async (after: number) => {
    const read = await runner.store.readAll({ after, maxCount: pageSize });
    const batch = read.filter((event) => event.position <= until);
    return { batch, last: batch.length < pageSize };
  };
  let position = from;
  let reading = readPage(position);
  for (;;) {
    const { batch, last } = await reading;
    if (batch.length === 0) return position;
    if (projections.every((projection) => failures?.has(projection.name))) return position;
    const next = batch[batch.length - 1].position;
    reading = last ? Promise.resolve({ batch: [], last }) : readPage(next);
    // The page read ahead must not end up an unhandled rejection if this one fails first.
    reading.catch(() => undefined);
    await Promise.all(
      projections
        .filter((projection) => !failures?.has(projection.name))
        .map(async (projection) => {
          const { shadow, shadowCheckpoint } = shadowNames(projection.name, work);
          try {
            const began = performance.now();
            const outcome = await commitBatch(
              runner,
              projection,
              position,
              batch,
              shadow,
              shadowCheckpoint,
              { fresh: work === 'rebuild' },
            );
            if (outcome === 'moved') {
              throw new Error(`The ${work} of ${projection.name} was disturbed; start it again`);
            }
            const sum = tally?.get(projection.name) ?? { events: 0, transactionMs: 0 };
            sum.events += batch.length;
            sum.transactionMs += performance.now() - began;
            tally?.set(projection.name, sum);
          } catch (error) {
            if (!failures) throw error;
            failures.set(projection.name, asError(error));
          }
        }),
    );
    position = next;
    if (last) return position;
  }
}
