#!/usr/bin/env bash
# The whole test suite: starts real Redis and Kafka (installing them when missing), runs vitest, stops them.
# Fails, never skips, when a service cannot be started. Extra arguments go to vitest.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
[ -d node_modules ] || npm ci
started_here=0
if [ -z "${ENTRAWATCH_SERVICES_EXTERNAL:-}" ]; then
  bash scripts/services/start.sh
  started_here=1
fi
trap '[ "$started_here" = 1 ] && bash scripts/services/stop.sh >/dev/null 2>&1 || true' EXIT
export ENTRAWATCH_TEST_REDIS_URL="${ENTRAWATCH_TEST_REDIS_URL:-redis://127.0.0.1:${ENTRAWATCH_REDIS_PORT:-6390}}"
export ENTRAWATCH_TEST_KAFKA_BROKERS="${ENTRAWATCH_TEST_KAFKA_BROKERS:-127.0.0.1:${ENTRAWATCH_KAFKA_PORT:-19092}}"
npx tsc -p tsconfig.json --noEmit
mkdir -p .cache
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json=.cache/vitest-results.json "$@" || status=$?
# one plain closing line for CI: "tests: N passed, N failed"
node -e '
  const fs = require("fs");
  const f = ".cache/vitest-results.json";
  if (!fs.existsSync(f)) { console.log("tests: 0 passed, 1 failed"); process.exit(0); }
  const r = JSON.parse(fs.readFileSync(f, "utf8"));
  const failed = r.numFailedTests + (r.numFailedTests === 0 && !r.success ? 1 : 0);
  console.log(`tests: ${r.numPassedTests} passed, ${failed} failed`);
'
if [ "$status" -eq 0 ] && [ ! -s .cache/vitest-results.json ]; then status=1; fi
exit "$status"
