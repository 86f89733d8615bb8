#!/usr/bin/env bash
# The whole test suite: type check, unit and integration tests (vitest), browser tests (Playwright),
# and the multi-process test (production build, 2 app processes + worker behind Caddy on PostgreSQL).
# Uses PostgreSQL when DATABASE_URL is set, the embedded PGlite otherwise; the multi-process test
# always needs a PostgreSQL server (DATABASE_URL's, else postgres@127.0.0.1:5432) and creates its own database.
set -euo pipefail
export NEXT_TELEMETRY_DISABLED=1
cd "$(dirname "$0")/.."

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
command -v caddy >/dev/null 2>&1 || missing+=(caddy)
# The official e-invoice validation (../shared/einvoice-validation/validate.sh) needs these.
[ -f /usr/share/java/Saxon-HE.jar ] || missing+=(libsaxonhe-java)
command -v xmllint >/dev/null 2>&1 || missing+=(libxml2-utils)
command -v qpdf >/dev/null 2>&1 || missing+=(qpdf)
command -v exiftool >/dev/null 2>&1 || missing+=(libimage-exiftool-perl)
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

echo "== Typprüfung (mit den aus dem OpenAPI-Dokument erzeugten Client-Typen)"
npm run --silent typecheck
echo "== Unit- und Integrationstests ($([ -n "${DATABASE_URL:-}" ] && echo PostgreSQL || echo PGlite))"
npx vitest run --reporter=default --reporter=json --outputFile.json="$REPORTS/vitest.json"
echo "== Browser-Tests (Playwright, Debian-Chromium)"
# `npm run typecheck` above checked the whole project; the build need not check it again.
SKIP_BUILD_TYPECHECK=1 npm run build
# Two stacks side by side (port, stand-ins, database each) and one worker per stack; Playwright gives
# the next test to whichever worker is free (playwright.config.ts). E2E_STACKS=1 runs them one after
# another. The browser tests keep both cores busy (Chromium takes about three quarters of the CPU,
# BENCHMARKS.md), so more stacks than cores would not make them faster.
e2e_status=0
E2E_STACKS=${E2E_STACKS:-2} E2E_REPORT="$REPORTS/playwright.json" npx playwright test || e2e_status=1
echo "== Mehrere Prozesse hinter Caddy (Produktions-Build, PostgreSQL)"
npx vitest run --config vitest.prod.config.ts --reporter=default --reporter=json --outputFile.json="$REPORTS/scale.json"
node scripts/test-summary.mjs "$REPORTS/vitest.json" "$REPORTS/playwright.json" "$REPORTS/scale.json"
exit "$e2e_status"
