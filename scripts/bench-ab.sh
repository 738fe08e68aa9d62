#!/usr/bin/env bash
# Interleaved A/B of two builds on one machine: runs `npm run bench` with the same arguments
# alternately from another checkout's build (A, e.g. a worktree of main) and this one's (B),
# ROUNDS times, and prints each run's measured figures (value, and p50 where there is one)
# with the load average at its start. Shared machines are noisy: compare pairs, not runs.
#
#   git worktree add /tmp/base main && (cd /tmp/base && cp -al ../path/to/node_modules . && npm run build)
#   bash scripts/bench-ab.sh /tmp/base 3 --only push-latency live-lag
set -euo pipefail
if [ $# -lt 3 ]; then
  echo "usage: $0 <other checkout, built> <rounds> <bench arguments...>" >&2
  exit 2
fi
other=$(cd "$1" && pwd)
rounds=$2
shift 2
here=$(cd "$(dirname "$0")/.." && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for round in $(seq 1 "$rounds"); do
  for side in A B; do
    dir=$here
    [ "$side" = A ] && dir=$other
    (cd "$dir" && node dist/apps/bench/src/main.js --out "$out/$side-$round" "$@" > "$out/$side-$round.log" 2>&1) ||
      { echo "$side round $round failed; its output:" >&2; tail -20 "$out/$side-$round.log" >&2; exit 1; }
    node -e '
      const fs = require("node:fs");
      const dir = process.argv[1];
      const file = fs.readdirSync(dir).find((name) => name.endsWith(".json"));
      const run = JSON.parse(fs.readFileSync(`${dir}/${file}`, "utf8"));
      const figures = run.rows
        .filter((row) => row.outcome.status === "measured")
        .map(({ figure, outcome: { measured } }) =>
          `${figure.id}=${Math.round(measured.value)}` +
          (measured.p50 === undefined ? "" : ` (p50 ${Math.round(measured.p50)})`));
      console.log(`${process.argv[2]} round ${process.argv[3]}, load ${run.machine.loadAverageAtStart[0]}: ${figures.join(" ")}`);
    ' "$out/$side-$round" "$side" "$round"
  done
done
