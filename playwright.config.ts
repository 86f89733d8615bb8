import { defineConfig } from "@playwright/test";

/**
 * Browser tests in Debian's Chromium (never a downloaded browser). The portal
 * runs as a production build with its local stand-ins and the development
 * outbox (scripts/serve.ts --prod, which runs only with APP_ENV=test; real
 * production is `npm start`, tested by `npm run test:scale`).
 *
 * E2E_STACKS=n starts n stacks side by side (ports E2E_PORT, +100, …; the stand-ins'
 * ports follow each), and runs n workers: worker i always talks to stack i
 * (`testInfo.parallelIndex`, e2e/fixtures.ts and e2e/stack.ts), so no two tests share
 * a stack at the same time, and Playwright hands the next test to whichever worker is free.
 */
const basePort = Number(process.env.E2E_PORT ?? 3100);
const stacks = Math.max(1, Number(process.env.E2E_STACKS ?? 1));
const stackPort = (index: number) => basePort + 100 * index;

/** On PostgreSQL each stack gets its own database (`<name>_e2e_<port>`), so stacks side by side never share demo data. */
function stackDatabaseUrl(port: number): Record<string, string> {
  if (!process.env.DATABASE_URL) return {};
  const url = new URL(process.env.DATABASE_URL);
  url.pathname = `${url.pathname}_e2e_${port}`;
  return { DATABASE_URL: url.toString() };
}

function stackServer(index: number) {
  const port = stackPort(index);
  const baseURL = `http://localhost:${port}`;
  return {
    command: process.env.E2E_DEV ? "npx tsx scripts/serve.ts --fresh" : "npx tsx scripts/serve.ts --prod --fresh",
    url: `${baseURL}/login`,
    timeout: 180_000,
    reuseExistingServer: false,
    stdout: "pipe" as const,
    name: `stack ${index + 1}`,
    env: {
      PORT: String(port),
      APP_URL: baseURL,
      HETZNER_SIM_PORT: String(port + 10),
      HETZNER_SIM_ACTION_MS: "1500",
      DNS_DEV_PORT: String(port + 11),
      INSTANCE_AGENT_PORT: String(port + 12),
      PGLITE_DIR: process.env.PGLITE_DIR ? `${process.env.PGLITE_DIR}-${index}` : `.data/e2e-pglite-${port}`,
      DNS_DEV_RECORDS: `.data/e2e-dns-${port}.json`,
      DEV_TOOLS: "true",
      APP_ENV: "test",
      NEXT_DIST_DIR: process.env.NEXT_DIST_DIR ?? ".next",
      ...stackDatabaseUrl(port),
    },
  };
}

export default defineConfig({
  testDir: "./e2e",
  timeout: 60_000,
  expect: { timeout: 15_000 },
  // Per run, so runs side by side (other ports) do not clear each other's traces.
  outputDir: `test-results/e2e-${basePort}`,
  fullyParallel: stacks > 1,
  workers: stacks,
  retries: 0,
  reporter: [["list"], ["json", { outputFile: process.env.E2E_REPORT ?? ".data/test-reports/playwright.json" }]],
  use: {
    // Worker i's own stack; e2e/fixtures.ts sets it per worker (this is stack 1's, for tools that read the config).
    baseURL: `http://localhost:${basePort}`,
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
  webServer: Array.from({ length: stacks }, (_, index) => stackServer(index)),
});
