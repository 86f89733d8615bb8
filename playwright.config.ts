import { defineConfig } from "@playwright/test";

/**
 * Browser tests in Debian's Chromium (never a downloaded browser). The portal
 * runs as a production build with its local stand-ins and the development
 * outbox (scripts/serve.ts --prod, which runs only with APP_ENV=test; real
 * production is `npm start`, tested by `npm run test:scale`).
 * E2E_PORT lets several stacks run side by side; the stand-ins' ports follow it.
 */
const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://localhost:${port}`;

/** On PostgreSQL each stack gets its own database (`<name>_e2e_<port>`), so shards side by side never share demo data. */
function stackDatabaseUrl(): Record<string, string> {
  if (!process.env.DATABASE_URL) return {};
  const url = new URL(process.env.DATABASE_URL);
  url.pathname = `${url.pathname}_e2e_${port}`;
  return { DATABASE_URL: url.toString() };
}

export default defineConfig({
  testDir: "./e2e",
  timeout: 60_000,
  expect: { timeout: 15_000 },
  // Per stack, so shards side by side (scripts/test.sh) do not clear each other's traces.
  outputDir: `test-results/e2e-${port}`,
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"], ["json", { outputFile: process.env.E2E_REPORT ?? ".data/test-reports/playwright.json" }]],
  use: {
    baseURL,
    locale: "de-DE",
    timezoneId: "Europe/Berlin",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  webServer: {
    command: process.env.E2E_DEV ? "npx tsx scripts/serve.ts --fresh" : "npx tsx scripts/serve.ts --prod --fresh",
    url: `${baseURL}/login`,
    timeout: 180_000,
    reuseExistingServer: false,
    stdout: "pipe",
    env: {
      PORT: String(port),
      APP_URL: baseURL,
      HETZNER_SIM_PORT: String(port + 10),
      HETZNER_SIM_ACTION_MS: "1500",
      DNS_DEV_PORT: String(port + 11),
      INSTANCE_AGENT_PORT: String(port + 12),
      PGLITE_DIR: process.env.PGLITE_DIR ?? `.data/e2e-pglite-${port}`,
      DNS_DEV_RECORDS: `.data/e2e-dns-${port}.json`,
      DEV_TOOLS: "true",
      APP_ENV: "test",
      NEXT_DIST_DIR: process.env.NEXT_DIST_DIR ?? ".next",
      ...stackDatabaseUrl(),
    },
  },
});
