/**
 * `npm start`: one production app process, and nothing else. No stand-ins,
 * no demo data, no development tools: the external systems (Hetzner, Resend,
 * the instance agents, DNS) are the configured real ones, and a missing
 * secret stops the start with the variable's name (lib/config.ts).
 *
 *   PORT=3001 node dist/start.js     (deploy/manage-portal@.service; compiled by `npm run build`)
 *
 * Order: check the configuration and the build, open the database (several
 * processes starting at once migrate once, under an advisory lock: db/client.ts),
 * then serve (scripts/server.ts). Jobs run in `npm run worker`, not here.
 * The local stack with stand-ins is `npm run demo` (scripts/serve.ts); the
 * multi-process test starts this file behind Caddy (tests/prod/harness.ts).
 */
import { existsSync } from "node:fs";
import path from "node:path";

// Next runs in this process: NODE_ENV must be right before anything reads the configuration.
(process.env as Record<string, string>).NODE_ENV = "production";
process.env.NEXT_TELEMETRY_DISABLED ??= "1";

async function main() {
  const { config } = await import("@/lib/config");
  const cfg = config();
  if (!cfg.DATABASE_URL) throw new Error("DATABASE_URL fehlt: Produktion läuft auf PostgreSQL (die eingebettete Datenbank nur mit `npm run demo`).");
  const distDir = process.env.NEXT_DIST_DIR || ".next";
  if (!existsSync(path.join(process.cwd(), distDir, "BUILD_ID"))) {
    throw new Error(`Kein Produktions-Build in ${distDir}/ gefunden: zuerst \`npm run build\` ausführen.`);
  }
  const port = Number(process.env.PORT ?? 3000);
  const { getDbHandle } = await import("@/db/client");
  await getDbHandle();
  const { exitOnSignals, startPortalServer } = await import("./server");
  exitOnSignals(await startPortalServer({ dev: false, port }));
}

main().catch(async (error) => {
  // A configuration or build problem is said in one line; anything else with its stack.
  const { ConfigError } = await import("@/lib/config");
  const expected = error instanceof ConfigError || (error instanceof Error && error.message.startsWith("Kein Produktions-Build"));
  console.error(expected || !(error instanceof Error) ? (error?.message ?? error) : error);
  process.exit(1);
});
