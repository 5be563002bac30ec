#!/usr/bin/env bash
# The generated-client test: generates TypeScript types from docs/openapi.json
# with openapi-typescript, type-checks and compiles client.test.ts against them
# with tsc, and runs it with node against the suite at SOCM_UI_URL (an admin
# key in SOCM_UI_KEY). tests/browser/run.sh calls it with the suite up.
#   bash tests/client/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=${SOCM_BUILD_DIR:-$PWD/build}/client
rm -rf "$OUT"
mkdir -p "$OUT"
# Inside the repository, so that node finds openapi-fetch in node_modules.
npx --no-install openapi-typescript docs/openapi.json -o "$OUT/api.d.ts" >/dev/null
cp tests/client/client.test.ts tests/client/tsconfig.json "$OUT/"
echo '{"type":"module"}' >"$OUT/package.json"
npx --no-install tsc -p "$OUT/tsconfig.json" --outDir "$OUT/out"
node --test "$OUT/out/"
