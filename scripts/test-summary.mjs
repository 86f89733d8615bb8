/**
 * Adds up the JSON reports of vitest (unit/integration, multi-process) and
 * Playwright into one closing line: "Gesamt: N passed, M failed". Each file
 * given is read by its shape; a given file that is missing counts as a failure
 * (its suite did not finish).
 */
import { existsSync, readFileSync } from "node:fs";

let passed = 0;
let failed = 0;
let skipped = 0;
const missing = [];
for (const file of process.argv.slice(2)) {
  if (!existsSync(file)) {
    missing.push(file);
    continue;
  }
  const report = JSON.parse(readFileSync(file, "utf8"));
  if (report.stats) {
    // Playwright
    passed += (report.stats.expected ?? 0) + (report.stats.flaky ?? 0);
    failed += report.stats.unexpected ?? 0;
    skipped += report.stats.skipped ?? 0;
  } else {
    // vitest
    passed += report.numPassedTests ?? 0;
    failed += report.numFailedTests ?? 0;
    skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
    // A suite that fails to load (e.g. beforeAll throws) has no failed test, only a failed file.
    if ((report.numFailedTestSuites ?? 0) > 0 && (report.numFailedTests ?? 0) === 0) failed += report.numFailedTestSuites;
  }
}
console.log(`Gesamt: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}${missing.length ? ` (Bericht fehlt: ${missing.join(", ")})` : ""}`);
process.exit(failed > 0 || missing.length > 0 || passed === 0 ? 1 : 0);
