export type Append = { position: number; at: number };
export type Commit = { projection: string; position: number; at: number };

/**
 * For each append, how long until every projection had committed it: the first batch
 * notification of each projection at or past its position, the latest of those, minus the
 * append's time. Notifications arrive in commit order, so each projection's positions rise.
 */
export function commitLags(
  appends: readonly Append[],
  commits: readonly Commit[],
  projectionNames: readonly string[],
): { lags: number[]; unseen: number } {
  const byProjection = projectionNames.map((name) =>
    commits.filter((commit) => commit.projection === name),
  );
  const cursors = projectionNames.map(() => 0);
  const lags: number[] = [];
  let unseen = 0;
  for (const append of [...appends].sort((a, b) => a.position - b.position)) {
    let latest = -Infinity;
    for (let p = 0; p < byProjection.length; p++) {
      const own = byProjection[p];
      while (cursors[p] < own.length && own[cursors[p]].position < append.position) cursors[p]++;
      latest = cursors[p] < own.length ? Math.max(latest, own[cursors[p]].at) : Number.NaN;
    }
    if (Number.isNaN(latest)) unseen++;
    else lags.push(latest - append.at);
  }
  return { lags, unseen };
}
