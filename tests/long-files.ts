import path from "node:path";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * The test files that take longest, longest first (seconds per file in the JSON report of a CI run on
 * PostgreSQL, 2026-12-06). Started first, they run beside the many short files instead of leaving one
 * worker alone with them at the end. Vitest does the same from its own cache of durations, but a clean
 * clone (CI) has none and would start the largest files first. tests/unit/vitest-projects.test.ts checks
 * that every name here is a test file.
 */
export const LONG_FILES = [
  "tests/einvoice/official-validation.test.ts",
  "tests/billing/calendar.test.ts",
  "tests/billing/run.test.ts",
  "tests/ops/db-timeouts.test.ts",
  "tests/jobs/mail-delivery.test.ts",
  "tests/security/hostile-input.test.ts",
  "tests/openapi/lint.test.ts",
  "tests/server/backups.test.ts",
  "tests/ops/jobs.test.ts",
  "tests/sepa/direct-debit.test.ts",
  "tests/jobs/server-sync.test.ts",
];

/** Vitest's order (projects grouped, its cache if any), with the long files moved to the front of their project. */
export class LongFilesFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const base = await super.sort(files);
    const projects = [...new Set(base.map((spec) => spec.project.name))];
    const rank = (spec: TestSpecification) => {
      const index = LONG_FILES.indexOf(path.relative(this.ctx.config.root, spec.moduleId).split(path.sep).join("/"));
      return index === -1 ? LONG_FILES.length : index;
    };
    const project = (spec: TestSpecification) => projects.indexOf(spec.project.name);
    // Array sort is stable: files of equal rank keep vitest's order.
    return [...base].sort((a, b) => project(a) - project(b) || rank(a) - rank(b));
  }
}
