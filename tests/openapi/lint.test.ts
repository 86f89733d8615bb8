/**
 * Issue 14: the OpenAPI document passes Redocly's lint with the project's
 * configuration (redocly.yaml: the recommended rules, warnings raised to
 * errors, plus operation-tag-defined) – 0 errors, 0 warnings.
 *
 * - Programmatically (@redocly/openapi-core, the engine of @redocly/cli) on the
 *   live document, and on broken copies, so no rule can pass vacuously.
 * - Through the CLI exactly as `npm run lint:openapi` runs it, once on the
 *   document (exit 0) and once on a copy with a problem that "recommended"
 *   rates only as a warning (exit 1).
 * - Which operations are public (`security: []`) is pinned down exactly.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { lintFromString, loadConfig, type Config, type NormalizedProblem } from "@redocly/openapi-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openApiDocument } from "@/lib/doors/v1/openapi";

type Op = { operationId?: string; summary?: string; tags?: string[]; security?: unknown[]; parameters?: { name: string; in: string }[]; responses: Record<string, unknown> };
type Doc = {
  servers?: { url: string }[];
  tags: { name: string; description?: string }[];
  paths: Record<string, Record<string, Op>>;
  components: { schemas: Record<string, unknown> };
};

const ROOT = process.cwd();
const METHODS = ["get", "put", "post", "delete", "patch"] as const;
const document = () => structuredClone(openApiDocument()) as unknown as Doc;

let config: Config;
beforeAll(async () => {
  config = await loadConfig({ configPath: path.join(ROOT, "redocly.yaml") });
});

async function lint(doc: Doc): Promise<NormalizedProblem[]> {
  return lintFromString({ source: JSON.stringify(doc), absoluteRef: path.join(ROOT, ".data", "openapi.json"), config });
}
const describeProblems = (problems: NormalizedProblem[]) =>
  problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message} (${p.location[0]?.pointer ?? ""})`);

describe("Redocly lint (redocly.yaml)", () => {
  it("uses the recommended rules with every warning raised to an error, and tags must be declared", () => {
    const rules = config.styleguide.rules.oas3_1;
    for (const rule of ["operation-operationId", "operation-4xx-response", "tag-description", "no-server-example.com", "operation-tag-defined", "security-defined"]) {
      expect(rules[rule], rule).toBe("error");
    }
  });

  it("finds no problem in the document: 0 errors, 0 warnings", async () => {
    expect(describeProblems(await lint(document()))).toEqual([]);
  });

  it.each<[string, (d: Doc) => void, string, string]>([
    ["a missing operationId", (d) => delete d.paths["/api/v1/hosts"].get.operationId, "operation-operationId", "/paths/~1api~1v1~1hosts/get"],
    ["a duplicate operationId", (d) => (d.paths["/api/v1/hosts"].get.operationId = d.paths["/api/v1/tenants"].get.operationId), "operation-operationId-unique", "/paths/~1api~1v1~1"],
    ["no summary", (d) => delete d.paths["/api/manage/status"].get.summary, "operation-summary", "/paths/~1api~1manage~1status/get"],
    ["no 2xx answer", (d) => delete d.paths["/api/manage/admin/roles"].get.responses["200"], "operation-2xx-response", "/paths/~1api~1manage~1admin~1roles/get"],
    [
      "no 4xx answer",
      (d) => {
        const r = d.paths["/api/v1/auth/login"].post.responses;
        for (const code of Object.keys(r)) if (code.startsWith("4")) delete r[code];
      },
      "operation-4xx-response",
      "/paths/~1api~1v1~1auth~1login/post",
    ],
    ["a public operation without security: []", (d) => delete d.paths["/api/manage/auth/login"].post.security, "security-defined", "/paths/~1api~1manage~1auth~1login/post"],
    ["an undeclared tag", (d) => (d.paths["/api/v1/hosts"].get.tags = ["Geheim"]), "operation-tag-defined", "/paths/~1api~1v1~1hosts/get"],
    ["a tag without description", (d) => delete d.tags[0].description, "tag-description", "/tags/0"],
    ["an undeclared path parameter", (d) => (d.paths["/api/manage/admin/instances/{id}"].get.parameters = []), "path-parameters-defined", "/paths/~1api~1manage~1admin~1instances~1{id}/get"],
    ["a localhost server", (d) => (d.servers = [{ url: "http://localhost:3000" }]), "no-server-example.com", "/servers/0"],
    ["a dangling $ref", (d) => delete d.components.schemas.ManageError, "no-unresolved-refs", "/paths/"],
  ])("catches %s", async (_, breakIt, ruleId, pointer) => {
    const doc = document();
    breakIt(doc);
    const problems = (await lint(doc)).filter((p) => p.ruleId === ruleId);
    expect(problems.length, describeProblems(await lint(doc)).join("\n")).toBeGreaterThan(0);
    expect(problems.every((p) => p.severity === "error")).toBe(true);
    expect(problems.some((p) => (p.location[0]?.pointer ?? "").startsWith(`#${pointer}`)), describeProblems(problems).join("\n")).toBe(true);
  });
});

describe("redocly lint CLI (npm run lint:openapi)", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "openapi-lint-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function cli(doc: Doc) {
    const file = path.join(dir, "openapi.json");
    writeFileSync(file, JSON.stringify(doc));
    const run = spawnSync(path.join(ROOT, "node_modules", ".bin", "redocly"), ["lint", file, "--format=json"], {
      cwd: ROOT,
      encoding: "utf8",
      env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true", NO_COLOR: "1" },
      timeout: 60_000,
    });
    const json = JSON.parse(run.stdout.slice(run.stdout.indexOf("{"))) as { totals: { errors: number; warnings: number }; problems: { ruleId: string }[] };
    return { status: run.status, ...json };
  }

  it("exits 0 with 0 errors and 0 warnings on the document", () => {
    const run = cli(document());
    expect(run.problems).toEqual([]);
    expect(run.totals).toMatchObject({ errors: 0, warnings: 0 });
    expect(run.status).toBe(0);
  }, 60_000);

  it("exits 1 on a problem that the plain recommended set only warns about (a missing operationId)", () => {
    const doc = document();
    delete doc.paths["/api/manage/status"].get.operationId;
    const run = cli(doc);
    expect(run.problems.map((p) => p.ruleId)).toEqual(["operation-operationId"]);
    expect(run.totals.errors).toBe(1);
    expect(run.status).toBe(1);
  }, 60_000);
});

describe("security of the operations", () => {
  const PUBLIC = [
    "POST /api/v1/auth/login",
    "POST /api/v1/auth/2fa/verify",
    "GET /api/v1/openapi.json",
    "POST /api/manage/auth/login",
    "POST /api/manage/auth/passkey-options",
    "POST /api/manage/auth/forgot-password",
    "POST /api/manage/auth/reset-password",
    // No session: the signed, 15-minute link itself authorises (lib/invoices/pdf-link.ts).
    "GET /api/files/invoices/{file}",
  ];

  it("marks exactly the public operations with security: [], the others with bearer (v1) or session (manage API)", () => {
    const doc = document();
    const ops = Object.entries(doc.paths).flatMap(([apiPath, item]) => METHODS.filter((m) => item[m]).map((m) => ({ key: `${m.toUpperCase()} ${apiPath}`, apiPath, op: item[m] })));
    expect(ops.filter((o) => Array.isArray(o.op.security) && o.op.security.length === 0).map((o) => o.key).sort()).toEqual([...PUBLIC].sort());
    for (const { key, apiPath, op } of ops) {
      if (PUBLIC.includes(key)) continue;
      expect(op.security, key).toEqual([apiPath.startsWith("/api/v1/") ? { bearer: [] } : { session: [] }]);
    }
  });
});
