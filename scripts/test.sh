#!/usr/bin/env bash
# The whole test suite: type check, unit and integration tests (vitest), browser tests (Playwright).
# Uses PostgreSQL when DATABASE_URL is set, the embedded PGlite otherwise.
set -euo pipefail
export NEXT_TELEMETRY_DISABLED=1
cd "$(dirname "$0")/.."

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ]; then
    echo "Installiere fehlende Debian-Pakete: ${missing[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "Fehlende Debian-Pakete: ${missing[*]} — bitte 'sudo apt-get install -y ${missing[*]}' ausführen." >&2
    exit 1
  fi
fi

REPORTS=.data/test-reports
rm -rf "$REPORTS" && mkdir -p "$REPORTS"

echo "== Typprüfung"
npx tsc --noEmit
echo "== Unit- und Integrationstests ($([ -n "${DATABASE_URL:-}" ] && echo PostgreSQL || echo PGlite))"
npx vitest run --reporter=default --reporter=json --outputFile.json="$REPORTS/vitest.json"
echo "== Browser-Tests (Playwright, Debian-Chromium)"
npx next build
npx playwright test
node scripts/test-summary.mjs "$REPORTS/vitest.json" "$REPORTS/playwright.json"
