#!/usr/bin/env bash
# The generated-client test: generates TypeScript types from docs/openapi.json
# with openapi-typescript, type-checks and compiles client.test.ts against them
# with tsc, and runs it with node against the suite at SOCM_UI_URL (an admin
# key in SOCM_UI_KEY); then checks that GET /openapi.json is docs/openapi.json
# and lints it with redocly. tests/browser/run.sh calls it with the suite up.
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
# What the gateway serves is the committed document, and it lints clean.
curl -sf "$SOCM_UI_URL/openapi.json" >"$OUT/served.json"
node -e '
  const fs = require("fs");
  const canon = (v) => Array.isArray(v) ? v.map(canon) : v && typeof v === "object"
    ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, canon(v[k])])) : v;
  const [a, b] = process.argv.slice(1).map((f) => JSON.stringify(canon(JSON.parse(fs.readFileSync(f)))));
  if (a !== b) { console.error("GET /openapi.json differs from docs/openapi.json"); process.exit(1); }
  console.log("GET /openapi.json is docs/openapi.json");
' "$OUT/served.json" docs/openapi.json
REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true \
  npx --no-install redocly lint --format=summary "$OUT/served.json"
