/**
 * Runs the whole portal locally: the stand-ins for the external systems
 * (Hetzner API simulator, DNS server, instance agent), the database with its
 * migrations and demo data, and Next.js inside the portal's own HTTP server
 * (scripts/server.ts: client address from the socket, request ids, logs,
 * metrics, graceful shutdown, and the pg-boss jobs in-process on PGlite).
 *
 *   tsx scripts/serve.ts            development server (Next dev mode) on PORT (3000)
 *   tsx scripts/serve.ts --prod     the production build with the stand-ins, for the browser
 *                                   tests only (APP_ENV=test; run `next build` first)
 *
 * Production is `npm start` (scripts/start.ts): no stand-ins, no demo data.
 * `--prod` without APP_ENV=test refuses to start, so stand-ins and dev tools
 * never run next to a production configuration.
 *
 * Ports come from the environment (PORT, HETZNER_SIM_PORT, DNS_DEV_PORT,
 * INSTANCE_AGENT_PORT, HEALTH_STAND_IN_PORT), so several stacks can run side by side. Without
 * DATABASE_URL the embedded PGlite in PGLITE_DIR is used.
 */
import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";

const prod = process.argv.includes("--prod");
if (prod && process.env.APP_ENV !== "test") {
  console.error("scripts/serve.ts --prod startet Stand-ins und Demodaten und ist nur für Tests (APP_ENV=test). Produktion: `npm start` (scripts/start.ts).");
  process.exit(1);
}
// Next runs in this process: NODE_ENV must be right before anything reads the configuration.
(process.env as Record<string, string>).NODE_ENV = prod ? "production" : "development";
const env = process.env;
const port = Number(env.PORT ?? 3000);
const appUrl = env.APP_URL ?? `http://localhost:${port}`;
/** The environment Next.js and the configuration see (this process's own). */
const childEnv: Record<string, string | undefined> = env;
childEnv.NEXT_TELEMETRY_DISABLED ??= "1";
childEnv.APP_URL = appUrl;
childEnv.PORT = String(port);

const { getDbHandle } = await import("@/db/client");
const { seedDemoData } = await import("@/db/seed");
const { printDemoLogins } = await import("@/db/seed-cli");
const { DEMO_DNS_RECORDS, loadRecordsFile } = await import("@/lib/dns/dev-dns-cli");
const { startTestDnsServer } = await import("@/lib/dns/test-dns-server");
const { DEMO_SERVERS, startHetznerSimulator } = await import("@/lib/hetzner/simulator");
const { SIMULATOR_DEV_TOKEN } = await import("@/lib/hetzner/env");
const { DEFAULT_INSTANCE_AGENT_SECRET } = await import("@/lib/instance-agent/client");
const { startInstanceAgentStandIn } = await import("@/lib/instance-agent/stand-in");
const { DEMO_FAILING_HOSTS, startHealthStandIn } = await import("@/lib/health/stand-in");
type TestDnsRecord = import("@/lib/dns/test-dns-server").TestDnsRecord;

async function main() {
  if (!env.DATABASE_URL) {
    childEnv.PGLITE_DIR = env.PGLITE_DIR ?? ".data/pglite";
    mkdirSync(childEnv.PGLITE_DIR, { recursive: true });
  }

  if (!env.HCLOUD_TOKEN) {
    const sim = await startHetznerSimulator({
      port: Number(env.HETZNER_SIM_PORT ?? 4010),
      servers: [...DEMO_SERVERS],
      actionDurationMs: Number(env.HETZNER_SIM_ACTION_MS ?? 3000),
    });
    childEnv.HCLOUD_ENDPOINT = sim.url;
    childEnv.HCLOUD_TOKEN = SIMULATOR_DEV_TOKEN;
    console.log(`Hetzner-Simulator: ${sim.url}`);
  }

  if (!env.DNS_RESOLVERS) {
    const recordsFile = path.resolve(env.DNS_DEV_RECORDS ?? ".data/dns-records.json");
    mkdirSync(path.dirname(recordsFile), { recursive: true });
    const records = (): TestDnsRecord[] => {
      try {
        return [...DEMO_DNS_RECORDS, ...loadRecordsFile(recordsFile)];
      } catch {
        return DEMO_DNS_RECORDS;
      }
    };
    const dns = await startTestDnsServer({
      port: Number(env.DNS_DEV_PORT ?? 5354),
      records: records(),
      defaultTtl: 5,
      onQuery: (server) => server.setRecords(records()),
    });
    childEnv.DNS_RESOLVERS = dns.address;
    childEnv.DNS_DEV_RECORDS = recordsFile;
    console.log(`DNS-Server (lokal): ${dns.address}, Einträge aus ${recordsFile}`);
  }

  if (!env.INSTANCE_AGENT_URL) {
    const secret = env.INSTANCE_AGENT_SECRET ?? DEFAULT_INSTANCE_AGENT_SECRET;
    const agent = await startInstanceAgentStandIn({ port: Number(env.INSTANCE_AGENT_PORT ?? 4020), secret });
    childEnv.INSTANCE_AGENT_URL = agent.url;
    childEnv.INSTANCE_AGENT_SECRET = secret;
    console.log(`Instanz-Agent (Stand-in): ${agent.url}`);
  }

  // Health probes (dev tools only, never in production): stand-in endpoints, the demo's "nordlicht" answers 503.
  if (!env.HEALTH_PROBE_URL_TEMPLATE && (!prod || env.APP_ENV === "test")) {
    const health = await startHealthStandIn({ port: Number(env.HEALTH_STAND_IN_PORT ?? 0), failing: DEMO_FAILING_HOSTS });
    childEnv.HEALTH_PROBE_URL_TEMPLATE = health.template;
    console.log(`Erreichbarkeits-Endpunkte (Stand-in): ${health.url} (gestört: ${DEMO_FAILING_HOSTS.join(", ")})`);
  }

  // Migrations and demo data; the open database is shared with Next.js in this process.
  if (prod) childEnv.DEV_TOOLS ??= "true";
  if (process.argv.includes("--fresh")) await wipeDatabase();
  const handle = await getDbHandle();
  // The demo and the browser tests start with a customer in each dunning stage.
  await seedDemoData(handle.db, { mspDomain: env.MSP_DOMAIN, archiveInvoices: true, dunningStages: true });

  const { exitOnSignals, startPortalServer } = await import("./server");
  const portal = await startPortalServer({ dev: !prod, port });
  // The stand-ins (simulator, DNS, agent) end with the process.
  exitOnSignals(portal);
  printDemoLogins(appUrl);
  console.log(`Portal läuft unter ${appUrl}  Mails (Passwort-Links) liegen im Postausgang: ${appUrl}/dev/postausgang\n`);
}

/** --fresh (tests only): start from an empty database. */
async function wipeDatabase() {
  if (env.APP_ENV !== "test") throw new Error("--fresh ist nur mit APP_ENV=test erlaubt.");
  if (!env.DATABASE_URL) {
    rmSync(childEnv.PGLITE_DIR!, { recursive: true, force: true });
    mkdirSync(childEnv.PGLITE_DIR!, { recursive: true });
    return;
  }
  // A new database of that name (created if missing, so each browser-test shard can have its own).
  const { default: postgres } = await import("postgres");
  const target = new URL(env.DATABASE_URL);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!/^[a-z0-9_]+$/i.test(name)) throw new Error(`--fresh: unerwarteter Datenbankname „${name}“.`);
  const maintenance = new URL(env.DATABASE_URL);
  maintenance.pathname = "/postgres";
  const admin = postgres(maintenance.toString(), { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.unsafe(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  // A failed query (drizzle) names the statement; the database's own reason is its cause.
  if (error instanceof Error && error.cause) console.error("Ursache:", error.cause instanceof Error ? error.cause.message : error.cause);
  process.exit(1);
});
