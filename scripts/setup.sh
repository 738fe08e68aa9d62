#!/usr/bin/env bash
# Everything a fresh machine needs: the npm dependencies (embedded PostgreSQL included) and,
# for `npm test`, Debian's Chromium; then a first build. Then `npm start` serves and `npm test` passes.
set -euo pipefail
cd "$(dirname "$0")/.."
npm ci --no-audit --no-fund
bash scripts/install-chromium.sh
# Once, so that the first `npm start` serves in seconds; later starts rebuild only what changed.
npm run build
