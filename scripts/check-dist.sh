#!/usr/bin/env bash
# check-dist (as in actions/typescript-action): rebuild the bundle and fail if it differs from the committed one.
set -euo pipefail
npm run build --silent >/dev/null
if [ -n "$(git status --porcelain -- dist)" ]; then
  echo "dist/ is stale: run 'npm run build' and commit dist/." >&2
  git status --porcelain -- dist | head -20 >&2
  exit 1
fi
echo "dist/ is up to date."
