/**
 * A production test bed: the portal's production build as separate OS
 * processes on a fresh PostgreSQL database, in real production mode
 * (NODE_ENV=production, no APP_ENV=test, secrets generated per run), with
 * every external system replaced by a local stand-in on a free loopback port:
 * the Hetzner API simulator, the Resend API stand-in (behind a gate that can
 * hold an answer), the instance agent, a DNS server and the instances'
 * health endpoints.
 *
 *   const stack = await startProdStack({ apps: 2, worker: true, caddy: true });
 *   const res = await stack.request(stack.url, "/api/health");
 *   await stack.stop();
 *
 * The processes are started exactly as production starts them: from the
 * pruned production install (tests/prod/install.ts: build artefacts and only
 * the packages `npm prune --omit=dev` keeps), the command
 * is the ExecStart of deploy/manage-portal@.service / deploy/manage-worker.service,
 * the environment is deploy/manage-portal.env.example with its empty values
 * filled and its addresses pointed at the stand-ins, and Caddy runs
 * deploy/Caddyfile with only the site address, the upstream ports and the
 * global options replaced. A change to those files changes what is tested.
 *
 * Needs: the production build (`npm run build`; NEXT_DIST_DIR for another
 * folder), a PostgreSQL server (the one of DATABASE_URL, else
 * postgres@127.0.0.1:5432; a database is created per run and dropped after)
 * and, for `caddy: true`, Debian's caddy.
 *
 * Client addresses: every request can leave from its own loopback address
 * (`from: "127.0.0.23"`; all of 127/8 is local on Linux), so each test case
 * has its own per-IP rate-limit budget, and tests can show which address the
 * app saw.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import net, { type AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import PgBoss from "pg-boss";
import postgres from "postgres";
import { inject } from "vitest";
import { openDatabase } from "@/db/client";
import { seedDemoData } from "@/db/seed";
import { DEMO_DNS_RECORDS } from "@/lib/dns/dev-dns-cli";
import { startTestDnsServer, type TestDnsServer } from "@/lib/dns/test-dns-server";
import { startHealthStandIn, type HealthStandIn } from "@/lib/health/stand-in";
import { DEMO_SERVERS, startHetznerSimulator, type HetznerSimulator } from "@/lib/hetzner/simulator";
import { startInstanceAgentStandIn, type InstanceAgentStandIn } from "@/lib/instance-agent/stand-in";
import { startResendStandIn, type ResendStandIn } from "@/lib/mail/resend-stand-in";

export const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));
/** Where the processes run: the production install of the global setup (tests/prod/install.ts). */
export const prodRoot = () => inject("prodRoot");
export const DEPLOY = {
  caddyfile: path.join(REPO_ROOT, "deploy/Caddyfile"),
  appUnit: path.join(REPO_ROOT, "deploy/manage-portal@.service"),
  workerUnit: path.join(REPO_ROOT, "deploy/manage-worker.service"),
  envExample: path.join(REPO_ROOT, "deploy/manage-portal.env.example"),
};
const DEFAULT_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres";

// ---------------------------------------------------------------------------
// Deploy files

/** Parses an EnvironmentFile the way systemd reads it (KEY=value, # comments, optional quotes). */
export function parseEnvFile(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!match) throw new Error(`Ungültige Zeile in der Umgebungsdatei: ${line}`);
    let value = match[2].trim();
    if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.endsWith(value[0])) value = value.slice(1, -1);
    env[match[1]] = value;
  }
  return env;
}

export type UnitFile = Record<string, Record<string, string[]>>;

/** Parses a systemd unit file into section → key → values (a key may repeat). */
export function parseUnitFile(text: string): UnitFile {
  const unit: UnitFile = {};
  let section = "";
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (!line || line.startsWith("#") || line.startsWith(";")) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      section = header[1];
      unit[section] ??= {};
      continue;
    }
    const eq = line.indexOf("=");
    if (eq < 0 || !section) throw new Error(`Ungültige Zeile in der Unit: ${line}`);
    const key = line.slice(0, eq).trim();
    (unit[section][key] ??= []).push(line.slice(eq + 1).trim());
  }
  return unit;
}

/** The ExecStart of a unit as [binary, ...args]. */
export function execStart(unitPath: string): string[] {
  const values = parseUnitFile(readFileSync(unitPath, "utf8")).Service?.ExecStart ?? [];
  if (values.length !== 1) throw new Error(`${unitPath}: genau ein ExecStart erwartet`);
  return values[0].split(/\s+/);
}

/** deploy/Caddyfile for the test: plain http on a loopback port, our upstreams, no admin API, no ACME. */
export function testCaddyfile(source: string, opts: { port: number; upstreams: string[] }): string {
  const replaceOnce = (text: string, pattern: RegExp, replacement: string, what: string) => {
    const matches = text.match(new RegExp(pattern.source, pattern.flags.includes("g") ? pattern.flags : pattern.flags + "g"));
    if (!matches || matches.length !== 1) throw new Error(`deploy/Caddyfile: ${what} nicht genau einmal gefunden`);
    return text.replace(pattern, replacement);
  };
  let text = replaceOnce(source, /^\{\n[\s\S]*?^\}\n/m, "{\n\tadmin off\n\tauto_https off\n}\n", "globaler Optionsblock");
  text = replaceOnce(text, /^[a-z0-9.-]+\.[a-z]{2,} \{$/m, `http://127.0.0.1:${opts.port} {`, "Site-Adresse");
  text = replaceOnce(text, /reverse_proxy(?: 127\.0\.0\.1:\d+)+ \{/, `reverse_proxy ${opts.upstreams.join(" ")} {`, "reverse_proxy-Upstreams");
  return text;
}

// ---------------------------------------------------------------------------
// Small helpers

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 30_000, intervalMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    await sleep(intervalMs);
  }
  throw new Error(`Zeitüberschreitung beim Warten auf: ${what}${lastError ? ` (${String(lastError)})` : ""}`);
}

const secret = (bytes = 32) => randomBytes(bytes).toString("base64url");

export type HttpResult = { status: number; headers: http.IncomingHttpHeaders; text: string; json: any };
export type RequestOptions = {
  method?: string;
  headers?: Record<string, string>;
  body?: unknown;
  /** Local (client) address, e.g. "127.0.0.23". */
  from?: string;
  timeoutMs?: number;
};

/** One HTTP request on a fresh connection (no keep-alive: every request is routed anew). */
export function request(base: string, pathname: string, opts: RequestOptions = {}): Promise<HttpResult> {
  const url = new URL(pathname, base);
  const body = opts.body === undefined ? undefined : Buffer.from(JSON.stringify(opts.body));
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        method: opts.method ?? (body ? "POST" : "GET"),
        localAddress: opts.from,
        agent: false,
        headers: {
          connection: "close",
          ...(body ? { "content-type": "application/json", "content-length": String(body.length) } : {}),
          ...opts.headers,
        },
        timeout: opts.timeoutMs ?? 30_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("error", reject);
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let json: unknown;
          try {
            json = text ? JSON.parse(text) : undefined;
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    req.on("timeout", () => req.destroy(new Error(`Zeitüberschreitung: ${url.href}`)));
    req.on("error", reject);
    req.end(body);
  });
}

// ---------------------------------------------------------------------------
// Processes

export class ManagedProcess {
  child: ChildProcess | undefined;
  private exited: Promise<number | null> = Promise.resolve(null);

  constructor(
    readonly name: string,
    private readonly command: string,
    private readonly args: string[],
    private readonly env: Record<string, string>,
    readonly logFile: string,
  ) {}

  start() {
    const fd = openSync(this.logFile, "a");
    const child: ChildProcess = spawn(this.command, this.args, { cwd: prodRoot(), env: this.env as NodeJS.ProcessEnv, stdio: ["ignore", fd, fd] });
    closeSync(fd);
    this.child = child;
    this.exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve(code ?? (signal ? -1 : null))));
    return this;
  }

  get pid() {
    return this.child?.pid;
  }

  get running() {
    return Boolean(this.child && this.child.exitCode === null && this.child.signalCode === null);
  }

  /** kill -9: no shutdown handler runs. Resolves once the process is gone. */
  async crash() {
    this.child?.kill("SIGKILL");
    await this.exited;
  }

  /** SIGTERM, then SIGKILL after `graceMs`. */
  async stop(graceMs = 5000) {
    if (!this.running) return;
    this.child!.kill("SIGTERM");
    const timer = setTimeout(() => this.child?.kill("SIGKILL"), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  logTail(lines = 40) {
    try {
      return readFileSync(this.logFile, "utf8").split("\n").slice(-lines).join("\n");
    } catch {
      return "";
    }
  }

  /** Waits until `probe` succeeds; fails at once (with the log) if the process ends. */
  async waitUntil(what: string, probe: () => Promise<boolean>, timeoutMs = 90_000) {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.running) throw new Error(`${this.name} ist beim Start beendet worden:\n${this.logTail()}`);
      if (await probe().catch(() => false)) return;
      await sleep(250);
    }
    throw new Error(`${this.name}: Zeitüberschreitung beim Warten auf ${what}:\n${this.logTail()}`);
  }
}

export type AppProcess = ManagedProcess & { port: number; url: string };

// ---------------------------------------------------------------------------
// The Resend gate: between the portal and the Resend stand-in

export type ResendGate = {
  url: string;
  /** POST /emails requests that reached the gate. */
  readonly sends: number;
  /**
   * The next send to `to` is passed to the stand-in (which stores and answers
   * it), but its answer is withheld from the sender. Resolves once that has
   * happened: the mail is accepted, and the sender cannot know.
   */
  holdNextAnswer(to: string): Promise<void>;
  close(): Promise<void>;
};

function recipients(body: Buffer): string[] {
  try {
    const to = (JSON.parse(body.toString("utf8")) as { to?: string | string[] }).to ?? [];
    return ([] as string[]).concat(to).map((t) => t.toLowerCase());
  } catch {
    return [];
  }
}

async function startResendGate(target: string): Promise<ResendGate> {
  let sends = 0;
  let hold: { to: string; resolve: () => void } | undefined;
  const sockets = new Set<net.Socket>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      if (req.method === "POST") sends++;
      const held = req.method === "POST" && hold && recipients(Buffer.concat(chunks)).includes(hold.to) ? hold.resolve : undefined;
      if (held) hold = undefined;
      const upstream = http.request(`${target}${req.url}`, { method: req.method, headers: { ...req.headers, host: new URL(target).host } }, (answer) => {
        const body: Buffer[] = [];
        answer.on("data", (c: Buffer) => body.push(c));
        answer.on("end", () => {
          if (held) return held(); // never answered; the connection dies with the sender
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          res.end(Buffer.concat(body));
        });
      });
      upstream.on("error", () => {
        res.writeHead(502);
        res.end();
      });
      upstream.end(Buffer.concat(chunks));
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get sends() {
      return sends;
    },
    holdNextAnswer: (to) => new Promise<void>((resolve) => (hold = { to: to.toLowerCase(), resolve })),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

// ---------------------------------------------------------------------------
// PostgreSQL

/** The maintenance database of DATABASE_URL's server, else the local default; fails clearly if unreachable. */
export async function adminDatabaseUrl(): Promise<string> {
  let url = DEFAULT_ADMIN_URL;
  if (process.env.DATABASE_URL) {
    const parsed = new URL(process.env.DATABASE_URL);
    parsed.pathname = "/postgres";
    url = parsed.toString();
  }
  const sql = postgres(url, { max: 1, connect_timeout: 5, onnotice: () => {} });
  try {
    await sql`select 1`;
  } catch (error) {
    throw new Error(
      `Der Multi-Prozess-Test braucht einen PostgreSQL-Server: ${redact(url)} ist nicht erreichbar (${(error as Error).message}). ` +
        "DATABASE_URL auf einen Server setzen, auf dem Datenbanken angelegt werden dürfen.",
    );
  } finally {
    await sql.end({ timeout: 1 });
  }
  return url;
}

/** What a worker's first start leaves in the database: pg-boss's schema (no queues, no jobs). */
async function createQueueSchema(databaseUrl: string) {
  const boss = new PgBoss({ connectionString: databaseUrl, max: 1, supervise: false, schedule: false, migrate: true });
  await boss.start();
  await boss.stop({ graceful: false, wait: true, close: true });
}

const redact = (url: string) => url.replace(/\/\/([^:@/]+):[^@/]+@/, "//$1:***@");

// ---------------------------------------------------------------------------
// The stack

export type ProdStackOptions = {
  /** App processes (default 2). */
  apps?: number;
  /** Start one worker process (default false). */
  worker?: boolean;
  /** Caddy in front of the app processes (default false); then TRUSTED_PROXY_HOPS=1 as in deploy/. */
  caddy?: boolean;
  /** Extra or overriding environment for app and worker processes. */
  env?: Record<string, string>;
};

export type ProdStack = {
  /** Caddy's URL with `caddy: true`, else the first app's. */
  url: string;
  caddyUrl?: string;
  apps: AppProcess[];
  worker?: ManagedProcess;
  /** Starts a (further) worker process and waits until its job workers run. */
  startWorker(): Promise<ManagedProcess>;
  databaseUrl: string;
  /** A client on the test database (for asserting what is stored). */
  sql: postgres.Sql;
  env: Record<string, string>;
  hetzner: HetznerSimulator;
  resend: ResendStandIn;
  resendGate: ResendGate;
  agent: InstanceAgentStandIn;
  dns: TestDnsServer;
  health: HealthStandIn;
  request: typeof request;
  logDir: string;
  stop(): Promise<void>;
};

export async function startProdStack(options: ProdStackOptions = {}): Promise<ProdStack> {
  const distDir = process.env.NEXT_DIST_DIR || ".next";
  if (!existsSync(path.join(REPO_ROOT, distDir, "BUILD_ID"))) {
    throw new Error(`Kein Produktions-Build in ${distDir}/ gefunden: zuerst \`npx next build\` ausführen (anderer Ordner: NEXT_DIST_DIR).`);
  }
  const cleanups: (() => Promise<unknown>)[] = [];
  const stop = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
  };
  try {
    return await start(options, distDir, cleanups, stop);
  } catch (error) {
    await stop();
    throw error;
  }
}

async function start(
  options: ProdStackOptions,
  distDir: string,
  cleanups: (() => Promise<unknown>)[],
  stop: () => Promise<void>,
): Promise<ProdStack> {
  const logDir = mkdtempSync(path.join(os.tmpdir(), "manage-prod-"));
  cleanups.push(async () => {
    if (process.env.KEEP_PROD_LOGS) console.log(`Logs der Prozesse: ${logDir}`);
    else rmSync(logDir, { recursive: true, force: true });
  });

  // A fresh database, migrated and seeded once.
  const adminUrl = await adminDatabaseUrl();
  const dbName = `manage_scale_${Date.now()}_${process.pid}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${dbName}`);
  cleanups.push(async () => {
    await admin.unsafe(`drop database if exists ${dbName} with (force)`);
    await admin.end({ timeout: 2 });
  });
  const dbUrlParsed = new URL(adminUrl);
  dbUrlParsed.pathname = `/${dbName}`;
  const databaseUrl = dbUrlParsed.toString();
  const seeded = await openDatabase({ url: databaseUrl, poolSize: 2 });
  await seedDemoData(seeded.db);
  await seeded.close();
  const sql = postgres(databaseUrl, { max: 4, onnotice: () => {} });
  cleanups.push(() => sql.end({ timeout: 2 }));

  // The external systems.
  const hetznerToken = secret();
  const hetzner = await startHetznerSimulator({ servers: [...DEMO_SERVERS], actionDurationMs: 300, token: hetznerToken });
  cleanups.push(() => hetzner.close());
  const resend = await startResendStandIn({ apiKey: `re_${secret(18)}` });
  cleanups.push(() => resend.close());
  const resendGate = await startResendGate(resend.url);
  cleanups.push(() => resendGate.close());
  const agentSecret = secret();
  const agent = await startInstanceAgentStandIn({ secret: agentSecret });
  cleanups.push(() => agent.close());
  const dns = await startTestDnsServer({ records: DEMO_DNS_RECORDS, defaultTtl: 5 });
  cleanups.push(() => dns.close());
  const health = await startHealthStandIn();
  cleanups.push(() => health.close());

  // The environment: deploy/manage-portal.env.example, filled in.
  const appCount = options.apps ?? 2;
  const appPorts = await Promise.all(Array.from({ length: appCount }, () => freePort()));
  const caddyPort = options.caddy ? await freePort() : undefined;
  const publicUrl = caddyPort ? `http://127.0.0.1:${caddyPort}` : `http://127.0.0.1:${appPorts[0]}`;
  const example = parseEnvFile(readFileSync(DEPLOY.envExample, "utf8"));
  const filled: Record<string, string> = {
    DATABASE_URL: databaseUrl,
    APP_URL: publicUrl,
    HOST: "127.0.0.1",
    TRUSTED_PROXY_HOPS: options.caddy ? example.TRUSTED_PROXY_HOPS : "0",
    SHUTDOWN_TIMEOUT_MS: "3000",
    LOG_LEVEL: "warn",
    AUTH_SECRET: secret(),
    JWT_SIGNING_KEYS: `k${Date.now()}:${secret()}`,
    METRICS_TOKEN: secret(),
    RESEND_API_KEY: resend.apiKey,
    HCLOUD_TOKEN: hetznerToken,
    INSTANCE_AGENT_URL: agent.url,
    INSTANCE_AGENT_SECRET: agentSecret,
  };
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: logDir,
    LANG: "C.UTF-8",
    TZ: "UTC",
    ...example,
    ...filled,
    // The tests sign in with the demo's staff logins (password only); the staff two-factor rule,
    // on by default in production, is proven in tests/security/second-factor-rule.test.ts.
    STAFF_REQUIRE_SECOND_FACTOR: "false",
    // Where the stand-ins are (the real services' defaults otherwise).
    RESEND_BASE_URL: resendGate.url,
    HCLOUD_ENDPOINT: hetzner.url,
    DNS_RESOLVERS: dns.address,
    HEALTH_PROBE_URL_TEMPLATE: health.template,
    NEXT_DIST_DIR: distDir,
    NEXT_TELEMETRY_DISABLED: "1",
    ...options.env,
  };
  const unset = Object.keys(example).filter((key) => !env[key]);
  if (unset.length > 0) throw new Error(`Die Testumgebung setzt nicht alle Variablen aus deploy/manage-portal.env.example: ${unset.join(", ")}`);
  if (env.NODE_ENV !== "production" || "APP_ENV" in env) throw new Error("Der Produktionstest läuft nur mit NODE_ENV=production und ohne APP_ENV.");

  // App processes: ExecStart of deploy/manage-portal@.service, one per port (the unit's %i).
  const [appBinary, ...appArgs] = execStart(DEPLOY.appUnit);
  if (path.basename(appBinary) !== "node") throw new Error(`${DEPLOY.appUnit}: ExecStart startet nicht node`);
  const apps = appPorts.map((port, index) => {
    const app = new ManagedProcess(`app-${index + 1}`, process.execPath, appArgs, { ...env, PORT: String(port) }, path.join(logDir, `app-${index + 1}.log`));
    return Object.assign(app, { port, url: `http://127.0.0.1:${port}` }) as AppProcess;
  });
  for (const app of apps) {
    app.start();
    cleanups.push(() => app.stop());
  }

  // App processes hold no pg-boss: the queue's schema, which /api/ready checks, comes from a worker.
  // With a worker it starts alongside the apps, as systemd starts the units; without one, the
  // database is as an earlier worker left it.
  const [workerBinary, ...workerArgs] = execStart(DEPLOY.workerUnit);
  if (path.basename(workerBinary) !== "node") throw new Error(`${DEPLOY.workerUnit}: ExecStart startet nicht node`);
  let workers = 0;
  const launchWorker = () => {
    workers++;
    const worker = new ManagedProcess(`worker-${workers}`, process.execPath, workerArgs, { ...env, LOG_LEVEL: "info" }, path.join(logDir, `worker-${workers}.log`));
    worker.start();
    cleanups.push(() => worker.stop());
    return worker;
  };
  const workerStarted = (worker: ManagedProcess) => worker.waitUntil("job workers started", async () => worker.logTail(200).includes("job workers started"));
  const startWorker = async () => {
    const worker = launchWorker();
    await workerStarted(worker);
    return worker;
  };
  const worker = options.worker ? launchWorker() : undefined;
  if (!worker) await createQueueSchema(databaseUrl);
  await Promise.all(apps.map((app) => app.waitUntil("/api/ready", async () => (await request(app.url, "/api/ready", { timeoutMs: 5000 })).status === 200)));
  if (worker) await workerStarted(worker);

  let caddyUrl: string | undefined;
  if (caddyPort) {
    const caddyBinary = spawnSync("sh", ["-c", "command -v caddy"], { encoding: "utf8" }).stdout.trim();
    if (!caddyBinary) throw new Error("caddy fehlt: `apt-get install -y caddy` (Debian-Paket), siehe scripts/test.sh.");
    const caddyfile = path.join(logDir, "Caddyfile");
    writeFileSync(caddyfile, testCaddyfile(readFileSync(DEPLOY.caddyfile, "utf8"), { port: caddyPort, upstreams: apps.map((a) => `127.0.0.1:${a.port}`) }));
    const caddyHome = path.join(logDir, "caddy-home");
    const caddy = new ManagedProcess(
      "caddy",
      caddyBinary,
      ["run", "--config", caddyfile, "--adapter", "caddyfile"],
      { PATH: env.PATH, HOME: caddyHome, XDG_DATA_HOME: caddyHome, XDG_CONFIG_HOME: caddyHome },
      path.join(logDir, "caddy.log"),
    );
    caddy.start();
    cleanups.push(() => caddy.stop());
    caddyUrl = `http://127.0.0.1:${caddyPort}`;
    await caddy.waitUntil("Caddy", async () => (await request(caddyUrl!, "/api/ready", { timeoutMs: 5000 })).status === 200, 30_000);
  }

  return {
    url: caddyUrl ?? apps[0].url,
    caddyUrl,
    apps,
    worker,
    startWorker,
    databaseUrl,
    sql,
    env,
    hetzner,
    resend,
    resendGate,
    agent,
    dns,
    health,
    request,
    logDir,
    stop,
  };
}
