import { compareHistories, historyCheckpoints } from './history-verification.js';
import type { Loop } from './live-loop.js';
import { createShadow, dropShadow, shadowNames } from './projection-ddl.js';
import { digestReadModels } from './read-model-digest.js';
import { compareReadModels, type ReadModelVerification } from './read-model-verification.js';
import { type RunnerContext, readCheckpoint } from './runner-context.js';
import { replay } from './shadow-replay.js';

/**
 * Replays the whole log into scratch copies of the projection's tables, then compares them
 * by content digest with the live tables at the live checkpoint, while the live loop is
 * held still. The copies are dropped in the end, whatever happens; the live tables and
 * checkpoint are only read. `loop` is claimed for it by the caller, in the process that holds
 * the projection's lock.
 */
export async function verifyClaimed(
  runner: RunnerContext,
  loop: Loop,
): Promise<ReadModelVerification> {
  const { projection } = loop;
  const { name } = projection;
  const { dataSource, settings } = runner;
  const { shadow } = shadowNames(name, 'verification');
  const checkpoint = () => readCheckpoint(dataSource, name);
  const replayTo = (from: number, until?: number) =>
    replay(runner, { projections: [projection], work: 'verification', from, until });
  const started = Date.now();
  let held = 0;
  try {
    await createShadow(runner, projection, 'verification');
    // Never past the live checkpoint: the comparison happens there, and a replay cannot go
    // back. A second pass catches up with what the live loop committed during the first, so
    // the tail replayed below, while the live loop waits, stays short.
    // The first pass also stops where the row history is compared, so the replay's history
    // has a boundary there too.
    const marks = await historyCheckpoints(dataSource, projection, await checkpoint());
    let replayed = 0;
    for (const mark of marks) replayed = await replayTo(replayed, mark);
    for (let pass = 0; pass < 2; pass++) replayed = await replayTo(replayed, await checkpoint());
    const { position, live } = await loop.writes.run(async () => {
      if (!loop.leader) throw new Error(`Lost the lock on ${name} during its verification`);
      const holding = Date.now();
      const position = await checkpoint();
      await replayTo(replayed, position);
      const [live] = await digestReadModels(dataSource, [projection]);
      if ((await checkpoint()) !== position) {
        throw new Error(`The checkpoint of ${name} moved during its verification; start again`);
      }
      held = Date.now() - holding;
      return { position, live };
    });
    // Only this verification writes the scratch tables: they need not hold up the live loop.
    const [rebuilt] = await digestReadModels(dataSource, [projection], shadow);
    const histories = await compareHistories(dataSource, projection, shadow, marks);
    const verification = compareReadModels(position, live, rebuilt, histories);
    const outcome =
      `Projection ${name} verified at position ${position} in ${Date.now() - started} ms ` +
      `(live loop held ${held} ms): ${verification.match ? 'match' : 'MISMATCH'}`;
    if (verification.match) settings.log?.log(outcome);
    else settings.log?.warn(outcome);
    return verification;
  } finally {
    await dropShadow(runner, projection, 'verification').catch((error: Error) =>
      settings.log?.error(`Could not drop the verification tables of ${name}: ${error.message}`),
    );
  }
}
