import os from "node:os";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import { MOCKING_MODULES } from "./tests/isolated-files";
import { LongFilesFirst } from "./tests/long-files";

const TEST_FILES = ["tests/**/*.test.ts", "tests/**/*.test.tsx"];
// tests/prod needs the production build, PostgreSQL and caddy: `npm run test:scale` (vitest.prod.config.ts).
const EXCLUDED = ["**/node_modules/**", "tests/prod/**"];

export default defineConfig({
  resolve: { alias: { "@": fileURLToPath(new URL("./", import.meta.url)) } },
  test: {
    environment: "node",
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // One migration for the run; every file works on its own copy (tests/helpers/db.ts), so files run in parallel.
    globalSetup: ["tests/helpers/global-setup.ts"],
    pool: "forks",
    fileParallelism: true,
    // One worker more than cores: a file waiting on PostgreSQL (a database copy per file, timeouts, jobs) leaves
    // its core to another. On 2 cores, PostgreSQL: 21 % idle with 2 workers, ≈ 6 % with 3 (BENCHMARKS.md).
    maxWorkers: Number(process.env.TEST_WORKERS) || Math.max(2, os.availableParallelism()) + 1,
    sequence: { sequencer: LongFilesFirst },
    projects: [
      // Files of one worker share the imported modules (importing the app again for each of ~130 files was
      // a third of the suite's time); tests/helpers/restore-env.ts puts back what a file changed in process.env.
      { extends: true, test: { name: "shared", isolate: false, setupFiles: ["tests/helpers/restore-env.ts"], include: TEST_FILES, exclude: [...EXCLUDED, ...MOCKING_MODULES] } },
      // Files that replace a module (vi.mock) need their own module registry.
      { extends: true, test: { name: "isolated", isolate: true, include: MOCKING_MODULES } },
    ],
  },
});
