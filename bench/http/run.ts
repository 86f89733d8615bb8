/**
 * `npm run bench:http`: the HTTP benchmark of issue 12 at production scale.
 *
 * Seeds the bench database (unless present), starts the portal's production build
 * (PORTAL_START, one constant) and the bare baseline (bare-server.ts), logs in,
 * checks that both answer byte-identical bodies, warms up and drives each endpoint
 * with autocannon at 10 and 50 connections (BENCH_SECONDS each, default 10),
 * sampling the RSS of the portal's process tree. Prints a table; with `--write`
 * appends a dated section to BENCHMARKS.md. BENCH_SCALE=10 runs on ten times the
 * instances and activity log (its own database, seed-scale.ts); the activity rows
 * include the customer's last page, the deepest one, and the last page of one kind
 * (`?kind=anmeldung`, the kind filter of the activity page; API v1 has no kind filter). Exits non-zero without `$NEXT_DIST_DIR/BUILD_ID`
 * (default `.next`; the portal is started with the same NEXT_DIST_DIR).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { appendFileSync, existsSync, readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import autocannon from "autocannon";
import { bareClient, benchPaths, manageLogin, verify } from "./bare-server";
import { BENCH_KIND } from "./plans";
import { scaledBy } from "./scale";
import { BENCH_SCALE, benchDatabaseUrl, seedBenchDatabase } from "./seed-scale";

const PORTAL_PORT = Number(process.env.BENCH_PORTAL_PORT ?? 3900);
const BARE_PORT = Number(process.env.BENCH_BARE_PORT ?? 3901);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = (process.env.BENCH_CONNECTIONS ?? "10,50").split(",").map(Number);
/** BENCH_ONLY=status,pdf: only the endpoints whose name contains one of these (`=name`: exactly this name). */
const ONLY = process.env.BENCH_ONLY?.split(",").filter(Boolean);
/** The build to start: NEXT_DIST_DIR as next.config.mjs reads it (default .next). */
const DIST_DIR = process.env.NEXT_DIST_DIR || ".next";
/**
 * How the portal's production build is started: ExecStart of
 * deploy/manage-portal@.service (= `npm start`, real production mode, with the
 * unit's heap budget). BENCH_CPU_PROF=1 writes a V8 CPU profile to .data/cpu-prof/ on exit.
 */
const UNIT_ARGS = /^ExecStart=\S*node (.+)$/m.exec(readFileSync("deploy/manage-portal@.service", "utf8"))![1]!.split(" ");
const PORTAL_START = [process.execPath, ...(process.env.BENCH_CPU_PROF ? ["--cpu-prof", "--cpu-prof-dir=.data/cpu-prof"] : []), ...UNIT_ARGS];

type Target = { name: string; path: string; auth: "manage" | "v1" | "cookie" | "none"; bare: boolean };

function portalEnv(url: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    APP_ENV: undefined,
    DEV_TOOLS: undefined,
    DATABASE_URL: url,
    PORT: String(PORTAL_PORT),
    HOST: "127.0.0.1",
    APP_URL: `http://127.0.0.1:${PORTAL_PORT}`,
    // Production refuses to start without its secrets; these are the bench's own.
    AUTH_SECRET: "bench-auth-secret-0123456789abcdef0123456789",
    JWT_SIGNING_KEYS: "bench:bench-jwt-secret-0123456789abcdef0123456789",
    METRICS_TOKEN: "bench-metrics-token-0123456789",
    MAIL_TRANSPORT: "outbox",
    // No job runs in the app process; nothing here calls Hetzner or the agents.
    HCLOUD_TOKEN: "bench-unused",
    INSTANCE_AGENT_URL: "http://127.0.0.1:9",
    INSTANCE_AGENT_SECRET: "bench-unused-agent-secret",
    NEXT_TELEMETRY_DISABLED: "1",
    LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
    NODE_OPTIONS: process.env.BENCH_PORTAL_NODE_OPTIONS,
  };
  for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
  return env;
}

async function waitFor(url: string, timeoutMs = 120_000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      const res = await fetch(url);
      if (res.status < 500) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${url} antwortet nicht innerhalb von ${timeoutMs / 1000} s.`);
}

/** A process and all its descendants (Linux /proc). */
function processTree(rootPid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // process ended meanwhile
    }
  }
  const tree: number[] = [];
  const stack = [rootPid];
  while (stack.length) {
    const pid = stack.pop()!;
    tree.push(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return tree;
}

function sumOverTree(rootPid: number, read: (pid: number) => number): number {
  let total = 0;
  for (const pid of processTree(rootPid)) {
    try {
      total += read(pid);
    } catch {
      // process ended meanwhile
    }
  }
  return total;
}

const CLOCK_TICKS_PER_SECOND = 100;

/** CPU time (user + system) in milliseconds of a process tree. */
export function treeCpuMs(rootPid: number): number {
  return sumOverTree(rootPid, (pid) => {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  });
}

/** VmRSS in bytes of a process tree. */
export function treeRssBytes(rootPid: number): number {
  return sumOverTree(rootPid, (pid) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) * 1024);
}

/**
 * BENCH_V1_USERS: how many v1 users the v1 rows spread their requests over. The seed's
 * limit (600/min per user, lib/doors/v1/rate-limits.ts) stays on; enough users that no
 * measurement reaches it, so a 429 in a v1 row is a real finding (the run fails).
 */
const V1_USERS = Number(process.env.BENCH_V1_USERS ?? 40);

/** `bench-v1-<n>@firma.de`: copies of the demo admin of acme (same tenant, roles and password). */
async function ensureV1Users(sql: ReturnType<typeof bareClient>, count: number) {
  const emails = Array.from({ length: count }, (_, i) => `bench-v1-${i + 1}@firma.de`);
  await sql`insert into users (instance_id, email, name, password_hash, active)
    select u.instance_id, e.email, 'Bench v1', u.password_hash, true from users u, unnest(${emails}::text[]) as e(email)
    where u.email = 'admin@firma.de' on conflict (email) do nothing`;
  await sql`insert into user_roles (user_id, role_key)
    select n.id, r.role_key from users n, users a join user_roles r on r.user_id = a.id
    where a.email = 'admin@firma.de' and n.email = any(${emails}) on conflict do nothing`;
  return emails;
}

async function v1Login(base: string, email = "admin@firma.de") {
  const res = await fetch(new URL("/api/v1/auth/login", base), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password: "demo-passwort" }),
  });
  if (res.status !== 200) throw new Error(`v1-Login fehlgeschlagen: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

/** The browser session cookie through next-auth's credentials flow (as the login page does). */
async function browserCookie(base: string) {
  const csrf = await fetch(new URL("/api/auth/csrf", base));
  const jar = (csrf.headers.getSetCookie?.() ?? []).map((c) => c.split(";")[0]).join("; ");
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const res = await fetch(new URL("/api/auth/callback/credentials", base), {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar },
    body: new URLSearchParams({ csrfToken, email: "admin@firma.de", password: "demo-passwort", json: "true" }),
  });
  const cookies = (res.headers.getSetCookie?.() ?? []).map((c) => c.split(";")[0]);
  const session = cookies.find((c) => /session-token=/.test(c));
  if (!session) throw new Error(`Browser-Login fehlgeschlagen: ${res.status}`);
  return [jar, ...cookies].filter(Boolean).join("; ");
}

/** GET /api/v1/auth/me from both servers with the same access token: status and bytes. */
async function compareV1(portalBase: string, bareBase: string, accessToken: string) {
  const path = "/api/v1/auth/me";
  const get = (base: string) => fetch(new URL(path, base), { headers: { authorization: `Bearer ${accessToken}` } }).then(async (r) => ({ status: r.status, body: await r.text() }));
  const [p, b] = [await get(portalBase), await get(bareBase)];
  const identical = p.status === b.status && p.body === b.body;
  return { path, identical, detail: identical ? `${p.status} ${p.body.length} B` : `Portal ${p.status} ${p.body.slice(0, 300)} ≠ Bare ${b.status} ${b.body.slice(0, 300)}` };
}

type Measurement = { reqPerSec: number; p50: number; p99: number; errors: number; status429: number; cpuMsPerRequest: number | null };

/** Drives one URL; with `pid`, also the server's CPU time per answered request (robust on a busy machine). */
async function drive(url: string, headers: Record<string, string>, connections: number, seconds: number, pid?: number, rotateBearers?: string[]): Promise<Measurement> {
  const cpuBefore = pid ? treeCpuMs(pid) : 0;
  let next = 0;
  // With several bearer tokens, each request takes the next one (the v1 rows' users).
  const requests = rotateBearers?.length
    ? [{ setupRequest: (req: { headers?: Record<string, string> }) => ({ ...req, headers: { ...req.headers, authorization: `Bearer ${rotateBearers[next++ % rotateBearers.length]}` } }) }]
    : undefined;
  const result = await autocannon({ url, headers, connections, duration: seconds, ...(requests ? { requests } : {}) });
  const answered = result.requests.total;
  return {
    reqPerSec: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
    status429: Number(result.statusCodeStats?.["429"]?.count ?? 0),
    cpuMsPerRequest: pid && answered > 0 ? (treeCpuMs(pid) - cpuBefore) / answered : null,
  };
}

async function main() {
  if (!existsSync(`${DIST_DIR}/BUILD_ID`)) {
    console.error(`Kein Produktions-Build gefunden (${DIST_DIR}/BUILD_ID fehlt). Erst \`npm run build\` ausführen (NEXT_DIST_DIR wird beachtet).`);
    process.exit(2);
  }
  const url = benchDatabaseUrl();
  const seed = await seedBenchDatabase(url);

  const portal: ChildProcess = spawn(PORTAL_START[0]!, PORTAL_START.slice(1), { env: portalEnv(url), stdio: ["ignore", "ignore", "inherit"], detached: true });
  const sql = bareClient(url);
  // The baseline in its own process, so its CPU time is its own (not autocannon's).
  const bare: ChildProcess = spawn(process.execPath, ["--import", "tsx", "bench/http/bare-server.ts", "--port", String(BARE_PORT)], {
    // The portal's environment: the same JWT keys for the v1 access token (lib/auth/jwt.ts).
    env: { ...portalEnv(url), BENCH_DATABASE_URL: url },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const portalBase = `http://127.0.0.1:${PORTAL_PORT}`;
  const bareBase = `http://127.0.0.1:${BARE_PORT}`;
  const stop = () => {
    if (portal.pid) {
      try {
        process.kill(-portal.pid, "SIGTERM");
      } catch {
        // already gone
      }
    }
  };
  process.on("exit", stop);
  try {
    const exited = new Promise<never>((_, reject) => portal.once("exit", (code) => reject(new Error(`Das Portal hat sich beim Start beendet (Exit-Code ${code}).`))));
    await Promise.race([waitFor(`${portalBase}/login`), exited]);
    await waitFor(`${bareBase}/api/health`);
    const token = await manageLogin(portalBase);
    await sql`delete from rate_limits`;
    const accessToken = await v1Login(portalBase);
    const v1Tokens: string[] = [];
    for (const email of await ensureV1Users(sql, V1_USERS)) {
      // The seed's login limit per address (10/min on API v1) is for people; the bench logs its users in from one address.
      await sql`delete from rate_limits`;
      v1Tokens.push(await v1Login(portalBase, email));
    }
    const cookie = await browserCookie(portalBase);
    const { paths, lastActivityPage, lastKindPage } = await benchPaths(sql);

    const check = await verify(portalBase, bareBase, token, paths);
    const v1Check = await compareV1(portalBase, bareBase, accessToken);
    check.push(v1Check);
    for (const r of check) console.log(`${r.identical ? "gleich    " : "ABWEICHUNG"} ${r.path}: ${r.detail}`);

    const targets: Target[] = [
      // No database, no authentication: what a request costs in each server before any work of its own.
      { name: "GET /api/health (ohne Datenbank)", path: "/api/health", auth: "none", bare: true },
      ...paths.map((path) => ({ name: `GET ${path}`, path, auth: "manage" as const, bare: true })),
      { name: "GET /api/v1/auth/me", path: "/api/v1/auth/me", auth: "v1", bare: true },
      { name: "GET /api/v1/invoices", path: "/api/v1/invoices", auth: "v1", bare: false },
      { name: `GET /api/v1/activity?page=${lastActivityPage} (letzte Seite)`, path: `/api/v1/activity?page=${lastActivityPage}`, auth: "v1", bare: false },
      { name: "Dashboard (HTML, angemeldet)", path: "/", auth: "cookie", bare: false },
      { name: "Login-Seite (HTML)", path: "/login", auth: "none", bare: false },
    ];
    if (ONLY) targets.splice(0, targets.length, ...targets.filter((t) => ONLY.some((o) => (o.startsWith("=") ? t.name === o.slice(1) : t.name.includes(o)))));
    const headersFor = (t: Target): Record<string, string> =>
      t.auth === "manage" ? { authorization: `Bearer ${token}` } : t.auth === "v1" ? { authorization: `Bearer ${accessToken}` } : t.auth === "cookie" ? { cookie } : {};

    // Warm-up: compile caches, connection pools, JIT.
    for (const t of targets) await drive(`${portalBase}${t.path}`, headersFor(t), 4, 1);

    const rows: string[] = [];
    let maxRss = 0;
    for (const t of targets) {
      for (const connections of CONNECTIONS) {
        const sampler = setInterval(() => (maxRss = Math.max(maxRss, treeRssBytes(portal.pid!))), 500);
        // API v1: each server starts with a fresh 600/min window of the bench user (the seed's limit stays on).
        const freshV1Window = () => (t.auth === "v1" ? sql`delete from rate_limits where key like 'v1:user:%'` : Promise.resolve());
        await freshV1Window();
        const bearers = t.auth === "v1" ? v1Tokens : undefined;
        const p = await drive(`${portalBase}${t.path}`, headersFor(t), connections, SECONDS, portal.pid, bearers);
        clearInterval(sampler);
        await freshV1Window();
        const b = t.bare ? await drive(`${bareBase}${t.path}`, headersFor(t), connections, SECONDS, bare.pid, bearers) : null;
        if (t.auth === "v1" && p.status429 + (b?.status429 ?? 0) > 0) throw new Error(`${t.name}: 429 des v1-Limits trotz ${V1_USERS} Benutzern (BENCH_V1_USERS erhöhen).`);
        const cpuCell = (m: Measurement | null) => (m?.cpuMsPerRequest == null ? "–" : m.cpuMsPerRequest.toFixed(2));
        const line = `| ${t.name} | ${connections} | ${p.reqPerSec.toFixed(0)} | ${p.p50} | ${p.p99} | ${p.errors} | ${cpuCell(p)} | ${b ? b.reqPerSec.toFixed(0) : "–"} | ${b ? b.p99 : "–"} | ${cpuCell(b)} | ${b && b.reqPerSec > 0 ? (p.reqPerSec / b.reqPerSec).toFixed(2) : "–"} |`;
        console.log(line);
        rows.push(line);
      }
    }
    const rssMiB = (treeRssBytes(portal.pid!) / 1048576).toFixed(0);
    const header =
      "| Endpunkt | Verb. | Portal req/s | p50 ms | p99 ms | Fehler | Portal CPU ms/Anfr. | Bare req/s | Bare p99 ms | Bare CPU ms/Anfr. | Portal/Bare |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|";
    const cpu = os.cpus()[0]?.model ?? "unbekannt";
    const scale = scaledBy(BENCH_SCALE);
    const de = (n: number) => n.toLocaleString("de-DE");
    const section = [
      "",
      `## HTTP-Benchmark (Produktions-Build, PostgreSQL), ${new Date().toISOString().slice(0, 10)}`,
      "",
      `\`npm run bench:http\` auf ${os.arch()} (\`uname -m\`: ${os.machine?.() ?? os.arch()}), ${os.cpus().length} × ${cpu}, Node ${process.version}; ` +
        `BENCH_SCALE=${BENCH_SCALE}: ${de(scale.instances)} Instanzen, ${de(scale.activity)} Aktivitäten (${de(scale.activityOnAcme)} auf acme, letzte Seite ${de(lastActivityPage)}, letzte Seite der Art ${BENCH_KIND} ${de(lastKindPage)}), ${de(scale.invoices)} Rechnungen mit PDF; je ${SECONDS} s pro Messung. ` +
        `Seed: ${seed.seeded ? `${seed.seconds.toFixed(1)} s` : "schon vorhanden"}. Byte-gleiche Antworten: ${check.every((r) => r.identical) ? "ja" : "NEIN"}.`,
      "",
      header,
      ...rows,
      "",
      `RSS des Portals (Prozessbaum): max. ${(maxRss / 1048576).toFixed(0)} MiB unter Last, ${rssMiB} MiB danach.`,
      "",
    ].join("\n");
    console.log(section);
    if (process.argv.includes("--write")) appendFileSync("BENCHMARKS.md", section);
  } finally {
    bare.kill("SIGTERM");
    await sql.end({ timeout: 5 });
    stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
