#!/usr/bin/env bash
# Runs Splunk AppInspect (cloud checks, precert mode) on the entrawatch Splunk app.
#   1. a Python venv under .cache/appinspect with splunk-appinspect (pip, PyPI);
#   2. `entrawatch splunk-app build` -> dist/entrawatch-<version>.spl;
#   3. splunk-appinspect inspect ... --mode precert --included-tags cloud --output-file dist/appinspect.json;
#   4. prints failures, errors, warnings and manual checks; exits 1 on any failure or error.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
VENV="$ROOT/.cache/appinspect"
VERSION=$(node -p "require('./package.json').version")
SPL="dist/entrawatch-$VERSION.spl"
OUT="dist/appinspect.json"

if [ ! -x "$VENV/bin/splunk-appinspect" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --upgrade pip
  "$VENV/bin/pip" install --quiet splunk-appinspect
fi

npx tsx -e "import('./src/cli/splunk-app.ts').then(async (m) => { process.exitCode = await m.runSplunkAppBuild({ out: 'dist' }); })"

"$VENV/bin/splunk-appinspect" inspect "$SPL" --mode precert --included-tags cloud --output-file "$OUT" --data-format json >/dev/null

python3 - "$OUT" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
counts = {}
lines = []
for r in report.get("reports", []):
    for g in r.get("groups", []):
        for c in g.get("checks", []):
            result = c.get("result")
            counts[result] = counts.get(result, 0) + 1
            if result in ("failure", "error", "warning", "manual_check"):
                msgs = [m.get("message", "").replace("\n", " ")[:300] for m in c.get("messages", [])]
                lines.append(f"{result.upper()}: {c.get('name')}: " + (" | ".join(msgs[:3]) or "-"))
for line in sorted(lines):
    print(line)
print("summary:", json.dumps(counts, sort_keys=True))
sys.exit(1 if counts.get("failure", 0) or counts.get("error", 0) else 0)
PY
