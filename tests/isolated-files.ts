/**
 * Test files that replace a module of the app with `vi.mock`: they run in the
 * vitest project `isolated` (their own module registry); every other file runs
 * in `shared`, where a worker's files share the loaded modules and a mock would
 * either not apply (the real module is already loaded) or leak into the next file.
 * tests/unit/vitest-projects.test.ts keeps this list complete.
 */
export const MOCKING_MODULES = ["tests/einvoice/archive-at-issue.test.ts"];
