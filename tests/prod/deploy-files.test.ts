/**
 * The files of docs/betrieb.md are real: the Caddyfile is valid for Debian's
 * caddy, the systemd units pass `systemd-analyze verify` and start the same
 * scripts as the npm scripts, every variable of the environment file is one
 * the app reads (and, filled in, a valid production configuration), and the
 * document shows each file exactly as it is in deploy/. That they work
 * together is scale.test.ts (the harness starts these very files).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseConfig } from "@/lib/config";
import { loadIssuerConfigFromEnv } from "@/lib/invoices/issuer";
import { DEPLOY, execStart, parseEnvFile, parseUnitFile, prodRoot, REPO_ROOT, testCaddyfile } from "./harness";

const read = (file: string) => readFileSync(path.join(REPO_ROOT, file), "utf8");
const tmp = mkdtempSync(path.join(os.tmpdir(), "manage-deploy-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Every variable the app reads: the keys of lib/config.ts, the invoice issuer's, and the process's own. */
function knownVariables() {
  const names = new Set(["NODE_ENV", "HOST", "PORT"]);
  for (const match of read("lib/config.ts").matchAll(/^ {2}([A-Z][A-Z0-9_]*):/gm)) names.add(match[1]);
  for (const match of read("lib/invoices/issuer.ts").matchAll(/\b(INVOICE_[A-Z_]+)\b/g)) names.add(match[1]);
  return names;
}

const ENV_FILE = "/etc/manage-portal/manage-portal.env";
const example = parseEnvFile(readFileSync(DEPLOY.envExample, "utf8"));

describe("deploy/manage-portal.env.example", () => {
  it("enthält nur Variablen, die die App liest", () => {
    const known = knownVariables();
    expect(known.has("AUTH_SECRET")).toBe(true); // the parser found lib/config.ts's keys
    expect(Object.keys(example).filter((key) => !known.has(key))).toEqual([]);
  });

  it("ergibt ausgefüllt eine gültige Produktionskonfiguration, und die leeren Werte sind Pflicht", () => {
    const empty = Object.keys(example).filter((key) => example[key] === "");
    expect(empty.sort()).toEqual(["AUTH_SECRET", "HCLOUD_TOKEN", "INSTANCE_AGENT_SECRET", "INSTANCE_AGENT_URL", "JWT_SIGNING_KEYS", "METRICS_TOKEN", "RESEND_API_KEY"]);
    const filled: Record<string, string> = {
      ...example,
      AUTH_SECRET: "a".repeat(48),
      HCLOUD_TOKEN: "hcloud-token",
      INSTANCE_AGENT_SECRET: "b".repeat(32),
      INSTANCE_AGENT_URL: "https://agent.example.com",
      JWT_SIGNING_KEYS: `2026-01:${"c".repeat(48)}`,
      METRICS_TOKEN: "d".repeat(32),
      RESEND_API_KEY: "re_test",
    };
    const cfg = parseConfig(filled);
    expect(cfg).toMatchObject({ TRUSTED_PROXY_HOPS: 1, mailTransport: "resend", devTools: false });
    expect(loadIssuerConfigFromEnv(filled).name).toBe("MyIT Center GmbH");
    // Left empty, `npm start` refuses to start and names what is missing.
    const [, ...args] = execStart(DEPLOY.appUnit);
    const start = spawnSync(process.execPath, args, {
      cwd: prodRoot(),
      encoding: "utf8",
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: tmp, ...filled, AUTH_SECRET: "", JWT_SIGNING_KEYS: "" } as unknown as NodeJS.ProcessEnv,
      timeout: 60_000,
    });
    expect(start.status).toBe(1);
    expect(start.stderr).toMatch(/AUTH_SECRET: fehlt/);
    expect(start.stderr).toMatch(/JWT_SIGNING_KEYS: fehlt/);
  });
});

describe("systemd-Units", () => {
  const units = [
    { file: DEPLOY.appUnit, instance: "manage-portal@3001.service", npmScript: "start" },
    { file: DEPLOY.workerUnit, instance: "manage-worker.service", npmScript: "worker" },
  ];
  const scripts = JSON.parse(read("package.json")).scripts as Record<string, string>;

  it.each(units)("$instance startet dasselbe Skript wie npm run $npmScript, mit der Umgebungsdatei", ({ file, npmScript }) => {
    const unit = parseUnitFile(readFileSync(file, "utf8"));
    const [binary, ...args] = execStart(file);
    expect(binary).toBe("/usr/bin/node");
    expect(`node ${args.join(" ")}`).toBe(scripts[npmScript]);
    expect(existsSync(path.join(prodRoot(), args.at(-1)!))).toBe(true);
    expect(unit.Service.EnvironmentFile).toEqual([ENV_FILE]);
    expect(unit.Service.User).toEqual(["manage"]);
    expect(unit.Service.KillMode).toEqual(["mixed"]);
    expect(readFileSync(DEPLOY.envExample, "utf8")).toContain(`# ${ENV_FILE}:`);
  });

  it("die App-Unit nimmt den Port aus dem Instanznamen, den Caddy als Upstream kennt", () => {
    const unit = parseUnitFile(readFileSync(DEPLOY.appUnit, "utf8"));
    expect(unit.Service.Environment).toContain("PORT=%i");
    expect(readFileSync(DEPLOY.caddyfile, "utf8")).toMatch(/reverse_proxy 127\.0\.0\.1:3001 127\.0\.0\.1:3002 \{/);
  });

  const verify = spawnSync("systemd-analyze", ["--version"]).status === 0;
  it("bestehen systemd-analyze verify ohne Meldung (ohne systemd: nur bekannte Abschnitte und Schlüssel)", () => {
    if (!verify) {
      const allowed: Record<string, string[]> = {
        Unit: ["Description", "After", "Wants"],
        Service: ["Type", "User", "Group", "WorkingDirectory", "EnvironmentFile", "Environment", "ExecStart", "KillMode", "TimeoutStopSec", "Restart", "RestartSec", "NoNewPrivileges", "PrivateTmp", "ProtectSystem", "ProtectHome", "ReadWritePaths"],
        Install: ["WantedBy"],
      };
      for (const { file } of units) {
        const unit = parseUnitFile(readFileSync(file, "utf8"));
        for (const [section, keys] of Object.entries(unit)) expect(Object.keys(keys).filter((key) => !allowed[section]?.includes(key)), `${file} [${section}]`).toEqual([]);
      }
      return;
    }
    const copies = units.map(({ file, instance }) => {
      const target = path.join(tmp, instance);
      let text = readFileSync(file, "utf8");
      // A machine whose Node is elsewhere still checks everything else.
      if (!existsSync("/usr/bin/node")) text = text.replaceAll("/usr/bin/node", process.execPath);
      writeFileSync(target, text);
      return target;
    });
    const result = spawnSync("systemd-analyze", ["verify", ...copies], { encoding: "utf8" });
    expect(`${result.stdout}${result.stderr}`.trim()).toBe("");
    expect(result.status).toBe(0);
  });
});

describe("deploy/Caddyfile", () => {
  const caddy = spawnSync("sh", ["-c", "command -v caddy"], { encoding: "utf8" }).stdout.trim();
  const validate = (file: string) =>
    spawnSync(caddy, ["validate", "--config", file, "--adapter", "caddyfile"], {
      encoding: "utf8",
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: tmp, XDG_DATA_HOME: tmp, XDG_CONFIG_HOME: tmp } as unknown as NodeJS.ProcessEnv,
      timeout: 30_000,
    });

  it("verteilt reihum mit Health-Check auf /api/health", () => {
    const text = readFileSync(DEPLOY.caddyfile, "utf8");
    expect(text).toMatch(/^\s+lb_policy round_robin$/m);
    expect(text).toMatch(/^\s+health_uri \/api\/health$/m);
    const directives = text.split("\n").filter((line) => !line.trim().startsWith("#")).join("\n");
    expect(directives).not.toMatch(/trusted_proxies/); // client-sent X-Forwarded-For is never taken over
  });

  it("ist für caddy gültig, auch in der Testfassung des Harness", () => {
    expect(caddy, "caddy fehlt (apt-get install caddy)").not.toBe("");
    const prod = validate(DEPLOY.caddyfile);
    expect(prod.status, prod.stderr).toBe(0);
    const testFile = path.join(tmp, "Caddyfile.test");
    writeFileSync(testFile, testCaddyfile(readFileSync(DEPLOY.caddyfile, "utf8"), { port: 18080, upstreams: ["127.0.0.1:18081", "127.0.0.1:18082"] }));
    const test = validate(testFile);
    expect(test.status, test.stderr).toBe(0);
    expect(readFileSync(testFile, "utf8")).toContain("reverse_proxy 127.0.0.1:18081 127.0.0.1:18082 {");
  });

  it("caddy fmt lässt die Datei unverändert", () => {
    const formatted = spawnSync(caddy, ["fmt", DEPLOY.caddyfile], { encoding: "utf8" });
    expect(formatted.status).toBe(0);
    expect(formatted.stdout).toBe(readFileSync(DEPLOY.caddyfile, "utf8"));
  });
});

describe("docs/betrieb.md", () => {
  const doc = read("docs/betrieb.md");

  it("zeigt jede Datei aus deploy/ wörtlich", () => {
    const shown = [...doc.matchAll(/^Datei `(deploy\/[^`]+)`:\n\n```[a-z]*\n([\s\S]*?)\n```$/gm)];
    expect(shown.map((m) => m[1]).sort()).toEqual(["deploy/Caddyfile", "deploy/manage-portal.env.example", "deploy/manage-portal@.service", "deploy/manage-worker.service"]);
    for (const [, file, content] of shown) expect(`${content}\n`, file).toBe(read(file));
  });

  it("nennt nur Dateien, npm-Skripte und Variablen, die es gibt", () => {
    for (const [, file] of doc.matchAll(/`((?:deploy|scripts|lib|db|tests)\/[^`*\s]+)`/g)) expect(existsSync(path.join(REPO_ROOT, file)), file).toBe(true);
    const scripts = JSON.parse(read("package.json")).scripts as Record<string, string>;
    for (const [, script] of doc.matchAll(/npm run ([a-z:]+)/g)) expect(scripts[script], script).toBeDefined();
    const known = knownVariables();
    for (const [, name] of doc.matchAll(/`([A-Z][A-Z0-9]*_[A-Z0-9_]+)`/g)) expect(known.has(name), name).toBe(true);
  });
});

describe("Produktionsinstallation (npm run build, dann npm prune --omit=dev)", () => {
  const pkg = JSON.parse(read("package.json")) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
  const installed = (name: string) => existsSync(path.join(prodRoot(), "node_modules", name, "package.json"));

  it("aus der die Prozesse starten, hat jede dependency und keine reine Entwicklungsabhängigkeit", () => {
    for (const name of Object.keys(pkg.dependencies)) expect(installed(name), name).toBe(true);
    // Without a loader or compiler the start can only be plain JavaScript (dist/).
    for (const name of ["tsx", "typescript", "esbuild", "vitest", "drizzle-kit"]) expect(installed(name), name).toBe(false);
    const lock = JSON.parse(read("package-lock.json")) as { packages: Record<string, { dev?: boolean }> };
    const devOnly = Object.keys(pkg.devDependencies).filter((name) => lock.packages[`node_modules/${name}`]?.dev);
    expect(devOnly.length).toBeGreaterThan(10);
    expect(devOnly.filter(installed)).toEqual([]);
  });

  it("npm start und npm run worker sind reines node mit den übersetzten Dateien aus dist/", () => {
    const scripts = JSON.parse(read("package.json")).scripts as Record<string, string>;
    expect(scripts.start).toMatch(/^node (--[a-z-]+=\S+ )*dist\/start\.js$/);
    expect(scripts.worker).toBe("node dist/worker.js");
    expect(scripts.build).toContain("scripts/build-server.mjs");
    expect(readFileSync(path.join(prodRoot(), "dist/start.js"), "utf8")).not.toMatch(/from "tsx|--import tsx/);
  });
});
