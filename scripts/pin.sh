#!/bin/bash
# Pinned outputs for behaviour-preserving changes (see DEVELOPERS.md):
#   scripts/pin.sh BIN OUTDIR [FIXED_REPORT_JSON]
# Run it with the binary before and after a change, then `diff -r` the two folders. Pages,
# lists and timings are put in canonical order (scripts/pin-canon.py); response times differ.
set -u
BIN=$(realpath "$1"); OUT=$(realpath -m "$2"); FIXED=${3:-}
REPO=$(cd "$(dirname "$0")/.." && pwd)
rm -rf "$OUT"; mkdir -p "$OUT"; cd "$REPO"
norm() { sed -E -e 's/127\.0\.0\.1:[0-9]+/127.0.0.1:9/g' -e 's/127\.0\.0\.1%3A[0-9]+/127.0.0.1%3A9/g' -e 's/127-0-0-1-[0-9]+/127-0-0-1-9/g' \
  -e 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+(Z|[+-][0-9:]+)?/TIMESTAMP/g' ; }
"$BIN" demo --out "$OUT/demo-raw" --no-db >/dev/null 2>"$OUT/demo.stderr"
mkdir -p "$OUT/demo"; norm <"$OUT/demo-raw/report.json" >"$OUT/demo/report.json"; rm -rf "$OUT/demo-raw"
# The site from one fixed report.json (the demo's, unless one is given), so timings cannot differ.
sed -E 's/"(ttfb_ms|total_ms|response_ms)": [0-9]+/"\1": 0/g' "$OUT/demo/report.json" >"$OUT/demo-timeless.json"
"$BIN" report "${FIXED:-$OUT/demo-timeless.json}" --declarations fixtures/declarations-demo.toml --out "$OUT/site-from-json" >/dev/null 2>&1
find fixtures/rules -name '*.html' | sort > "$OUT/rule-files"
"$BIN" check --format json $(cat "$OUT/rule-files") 2>/dev/null | norm > "$OUT/check-rules.json"
"$BIN" check --format json --root fixtures/check-local $(find fixtures/check-local -name '*.html' | sort) 2>/dev/null | norm > "$OUT/check-local.json"
if [ -d ../shared/act-rules ]; then "$BIN" conformance ../shared/act-rules > "$OUT/conformance.txt" 2>&1; fi
rm -f "$OUT/demo-timeless.json"
python3 "$REPO/scripts/pin-canon.py" "$OUT"
echo "pinned in $OUT"
