import os from "node:os";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": fileURLToPath(new URL("./", import.meta.url)) } },
  test: {
    include: ["tests/**/*.test.ts", "tests/**/*.test.tsx"],
    // tests/prod needs the production build, PostgreSQL and caddy: `npm run test:scale` (vitest.prod.config.ts).
    exclude: ["**/node_modules/**", "tests/prod/**"],
    environment: "node",
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // One migration for the run; every file works on its own copy (tests/helpers/db.ts), so files run in parallel.
    globalSetup: ["tests/helpers/global-setup.ts"],
    pool: "forks",
    fileParallelism: true,
    maxWorkers: Number(process.env.TEST_WORKERS) || Math.max(2, os.availableParallelism()),
  },
});
