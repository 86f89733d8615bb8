import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

/**
 * `npm run test:scale`: the production build as separate processes on
 * PostgreSQL behind Caddy (tests/prod/harness.ts), started from a pruned
 * production install (tests/prod/install.ts). Needs `npm run build` first,
 * a PostgreSQL server (DATABASE_URL's, or postgres@127.0.0.1:5432) and caddy.
 */
export default defineConfig({
  resolve: { alias: { "@": fileURLToPath(new URL("./", import.meta.url)) } },
  test: {
    include: ["tests/prod/**/*.test.ts"],
    environment: "node",
    globalSetup: ["tests/prod/install.ts"],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: "forks",
    fileParallelism: false,
  },
});
