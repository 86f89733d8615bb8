/**
 * Runs the whole portal locally: the stand-ins for the external systems
 * (Hetzner API simulator, DNS server, instance agent), the database with its
 * migrations and demo data, and Next.js.
 *
 *   tsx scripts/serve.ts            development server (next dev) on PORT (3000)
 *   tsx scripts/serve.ts --prod     production server (next start; run `next build` first)
 *
 * Ports come from the environment (PORT, HETZNER_SIM_PORT, DNS_DEV_PORT,
 * INSTANCE_AGENT_PORT), so several stacks can run side by side. Without
 * DATABASE_URL the embedded PGlite in PGLITE_DIR is used.
 */
import { spawn } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { closeDb, getDbHandle } from "@/db/client";
import { seedDemoData } from "@/db/seed";
import { printDemoLogins } from "@/db/seed-cli";
import { DEMO_DNS_RECORDS, loadRecordsFile } from "@/lib/dns/dev-dns-cli";
import { startTestDnsServer, type TestDnsRecord } from "@/lib/dns/test-dns-server";
import { DEMO_SERVERS, startHetznerSimulator } from "@/lib/hetzner/simulator";
import { SIMULATOR_DEV_TOKEN } from "@/lib/hetzner/env";
import { DEFAULT_INSTANCE_AGENT_SECRET } from "@/lib/instance-agent/client";
import { startInstanceAgentStandIn } from "@/lib/instance-agent/stand-in";

const prod = process.argv.includes("--prod");
const env = process.env;
const port = Number(env.PORT ?? 3000);
const appUrl = env.APP_URL ?? `http://localhost:${port}`;
const childEnv: Record<string, string | undefined> = { NEXT_TELEMETRY_DISABLED: "1", ...env, APP_URL: appUrl, PORT: String(port) };

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

  // Migrations and demo data, then hand the database over to Next.js.
  process.env.PGLITE_DIR = childEnv.PGLITE_DIR;
  if (process.argv.includes("--fresh")) await wipeDatabase();
  const handle = await getDbHandle();
  await seedDemoData(handle.db, env.MSP_DOMAIN);
  await closeDb();

  const nextBin = path.resolve("node_modules/next/dist/bin/next");
  const args = prod ? ["start", "-p", String(port)] : ["dev", "-p", String(port)];
  if (prod) childEnv.DEV_TOOLS ??= "true";
  const next = spawn(process.execPath, [nextBin, ...args], { env: childEnv as NodeJS.ProcessEnv, stdio: "inherit" });
  printDemoLogins(appUrl);
  console.log(`Portal startet unter ${appUrl} …  Mails (Passwort-Links) liegen im Postausgang: ${appUrl}/dev/postausgang\n`);

  const stop = () => {
    next.kill("SIGTERM");
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  next.on("exit", (code) => process.exit(code ?? 0));
}

/** --fresh (tests only): start from an empty database. */
async function wipeDatabase() {
  if (env.APP_ENV !== "test") throw new Error("--fresh ist nur mit APP_ENV=test erlaubt.");
  if (!env.DATABASE_URL) {
    rmSync(childEnv.PGLITE_DIR!, { recursive: true, force: true });
    mkdirSync(childEnv.PGLITE_DIR!, { recursive: true });
    return;
  }
  const { default: postgres } = await import("postgres");
  const sql = postgres(env.DATABASE_URL, { max: 1, onnotice: () => {} });
  await sql.unsafe("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public; DROP SCHEMA IF EXISTS drizzle CASCADE;");
  await sql.end();
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
