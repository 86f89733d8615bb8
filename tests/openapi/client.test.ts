/**
 * Issue 14: a client generated from the OpenAPI document works.
 *
 * - lib/client/api-types.d.ts is openapi-typescript's output for the document
 *   (scripts/openapi-write.ts). It is not committed: `npm run typecheck` (and
 *   so `npm test`) generates it before tsc; this test makes sure the types tsc
 *   checked the calls below against are those of the current document.
 * - openapi-fetch's `createClient<paths>()` talks real HTTP to the API route
 *   files (./api-server.ts) and runs login → status → invoices, for the
 *   customer (manage API and API v1) and for MSP staff (/api/manage/admin).
 *   Every answer is also parsed with the zod schema the document was made from.
 * - The calls below are type-checked by `tsc` with the rest of the tests; the
 *   last case shows with the TypeScript compiler that calls the document
 *   forbids do not compile.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import createClient from "openapi-fetch";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ZodType } from "zod";
import { DEMO_PASSWORD } from "@/db/seed";
import type { paths } from "@/lib/client/api-types";
import { openApiPaths } from "@/lib/doors/v1/openapi";
import { API_TYPES_FILE, generateApiTypes } from "@/scripts/openapi-write";
import { useTestDatabase } from "../helpers/db";
import { startApiServer } from "./api-server";

useTestDatabase();

let api: Awaited<ReturnType<typeof startApiServer>>;
beforeAll(async () => {
  api = await startApiServer();
});
afterAll(async () => {
  await api?.close();
});

const client = () => createClient<paths>({ baseUrl: api.url });
const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });

/** The zod schema the document's answer `code` of `method apiPath` was generated from. */
function responseSchema(apiPath: string, method: "get" | "post", code = "200"): ZodType {
  const op = (openApiPaths[apiPath] as Record<string, { responses: Record<string, { content?: Record<string, { schema: ZodType }> }> }>)[method];
  const schema = op.responses[code]?.content?.["application/json"]?.schema;
  if (!schema) throw new Error(`${method} ${apiPath} ${code}: kein Antwort-Schema im Dokument`);
  return schema;
}

async function manageLogin(email: string) {
  const login = await client().POST("/api/manage/auth/login", { body: { email, password: DEMO_PASSWORD } });
  expect(login.response.status, JSON.stringify(login.error)).toBe(200);
  responseSchema("/api/manage/auth/login", "post").parse(login.data);
  return login.data!.token;
}

describe("generated types", () => {
  it(`${API_TYPES_FILE} is openapi-typescript's output for the current document`, async () => {
    const generated = readFileSync(path.join(process.cwd(), API_TYPES_FILE), "utf8");
    expect(generated === (await generateApiTypes()), `${API_TYPES_FILE} ist veraltet: npm run openapi:types`).toBe(true);
  });
});

describe("openapi-fetch client over HTTP", () => {
  it("customer: login → status → invoices → one invoice (manage API), each answer as documented", async () => {
    const token = await manageLogin("admin@firma.de");
    expect(token.length).toBeGreaterThan(10);

    const status = await client().GET("/api/manage/status", bearer(token));
    expect(status.response.status).toBe(200);
    expect(status.response.headers.get("x-request-id")).toMatch(/\S/); // passed the portal's request listener
    responseSchema("/api/manage/status", "get").parse(status.data);
    expect(status.data!.instance.name).toBe("acme");

    const invoices = await client().GET("/api/manage/invoices", { ...bearer(token), params: { query: { page: 1, per_page: 5, sort: "date", dir: "desc" } } });
    expect(invoices.response.status).toBe(200);
    responseSchema("/api/manage/invoices", "get").parse(invoices.data);
    expect(invoices.data!.meta.per_page).toBe(5);
    expect(invoices.data!.invoices.length).toBeGreaterThan(0);
    expect(invoices.data!.invoices.length).toBeLessThanOrEqual(5);
    expect(typeof invoices.data!.stats.open_count).toBe("number");

    const first = invoices.data!.invoices[0];
    const detail = await client().GET("/api/manage/invoices/{id}", { ...bearer(token), params: { path: { id: String(first.id) } } });
    expect(detail.response.status).toBe(200);
    responseSchema("/api/manage/invoices/{id}", "get").parse(detail.data);
    expect(detail.data!.invoice.invoice_number).toBe(first.invoice_number);
    expect(detail.data!.invoice.id).toBe(first.id);
    expect(api.requests()).toContain(`GET /api/manage/invoices/${first.id}`);
  });

  it("customer: login → invoices with API v1 (JWT), narrowing the documented union of the login answer", async () => {
    const login = await client().POST("/api/v1/auth/login", { body: { email: "admin@firma.de", password: DEMO_PASSWORD } });
    expect(login.response.status).toBe(200);
    responseSchema("/api/v1/auth/login", "post").parse(login.data);
    const data = login.data!;
    if (!("access_token" in data)) throw new Error("2FA-Challenge statt Tokens");
    expect(data.token_type).toBe("bearer");

    const invoices = await client().GET("/api/v1/invoices", { ...bearer(data.access_token), params: { query: { per_page: 2 } } });
    expect(invoices.response.status, JSON.stringify(invoices.error)).toBe(200);
    responseSchema("/api/v1/invoices", "get").parse(invoices.data);
    expect(invoices.data!.invoices.length).toBeGreaterThan(0);
    expect(invoices.data!.meta.per_page).toBe(2);
  });

  it("staff: login → instances → one instance (staff API), documented for generated clients too", async () => {
    const token = await manageLogin("msp-admin@myit.center");
    const list = await client().GET("/api/manage/admin/instances", { ...bearer(token), params: { query: { search: "acme" } } });
    expect(list.response.status).toBe(200);
    const instances = (list.data as { instances?: { id: number; name: string }[] }).instances ?? [];
    const acme = instances.find((i) => i.name === "acme");
    expect(acme, JSON.stringify(list.data)).toBeDefined();

    const one = await client().GET("/api/manage/admin/instances/{id}", { ...bearer(token), params: { path: { id: String(acme!.id) } } });
    expect(one.response.status).toBe(200);
    expect(JSON.stringify(one.data)).toContain("Acme Corp");

    const customer = await manageLogin("admin@firma.de");
    const denied = await client().GET("/api/manage/admin/instances", bearer(customer));
    expect(denied.response.status).toBe(403);
    expect(denied.error!.message).toMatch(/\S/);
  });

  it("gives the documented error shapes: wrong password, missing token, bad query", async () => {
    const login = await client().POST("/api/manage/auth/login", { body: { email: "admin@firma.de", password: "falsch-falsch" } });
    expect(login.response.status).toBe(401);
    expect(login.data).toBeUndefined();
    responseSchema("/api/manage/auth/login", "post", "401").parse(login.error);

    const status = await client().GET("/api/manage/status");
    expect(status.response.status).toBe(401);
    expect(status.error!.message).toMatch(/\S/);

    const v1 = await client().GET("/api/v1/invoices");
    expect(v1.response.status).toBe(401);
    responseSchema("/api/v1/invoices", "get", "401").parse(v1.error);
  });
});

/**
 * Compiles each snippet (as the body of its own function, after `const api = createClient<paths>(…)`)
 * in one program with the project's strict options; returns the error messages per snippet.
 */
function typeErrors<K extends string>(snippets: Record<K, string>): Record<K, string> {
  const file = path.join(process.cwd(), "tests", "openapi", "__typecheck__.ts");
  const names = Object.keys(snippets) as K[];
  let source = `import createClient from "openapi-fetch";\nimport type { paths } from "../../${API_TYPES_FILE.replace(/\.d\.ts$/, "")}";\nconst api = createClient<paths>({ baseUrl: "http://127.0.0.1" });\n`;
  const ranges = names.map((name, i) => {
    const from = source.length;
    source += `export async function snippet${i}() {\n${snippets[name]}\n}\n`;
    return { name, from, to: source.length };
  });
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ["lib.es2022.d.ts", "lib.dom.d.ts"],
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const { fileExists, readFile } = host;
  host.fileExists = (name) => path.resolve(name) === file || fileExists(name);
  host.readFile = (name) => (path.resolve(name) === file ? source : readFile(name));
  const diagnostics = ts.getPreEmitDiagnostics(ts.createProgram([file], options, host));
  const errors = Object.fromEntries(names.map((name) => [name, ""])) as Record<K, string>;
  for (const d of diagnostics) {
    const owner = d.file && path.resolve(d.file.fileName) === file ? ranges.find((r) => d.start! >= r.from && d.start! < r.to) : undefined;
    if (!owner) throw new Error(`Typfehler außerhalb der Beispiele: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
    errors[owner.name] += `${ts.flattenDiagnosticMessageText(d.messageText, "\n")}\n`;
  }
  return errors;
}

describe("the generated types catch wrong calls at compile time", () => {
  it("accepts documented calls and rejects a missing field, an unknown path, a value outside an enum and a wrong answer type", () => {
    const errors = typeErrors({
      documented: `
        const login = await api.POST("/api/manage/auth/login", { body: { email: "a@b.de", password: "x" } });
        const token: string | undefined = login.data?.token;
        await api.GET("/api/manage/invoices", { params: { query: { status: "paid" } }, headers: { authorization: \`Bearer \${token}\` } });
        await api.POST("/api/manage/admin/instances/{id}/suspend", { params: { path: { id: "1" } }, body: { reason: "Offene Rechnungen" } });
        const name: string = (await api.GET("/api/manage/status")).data!.instance.name;`,
      missingField: `await api.POST("/api/manage/auth/login", { body: { email: "a@b.de" } });`,
      unknownPath: `await api.GET("/api/manage/gibt-es-nicht", {});`,
      outsideEnum: `await api.GET("/api/manage/invoices", { params: { query: { status: "bezahlt" } } });`,
      missingPathParam: `await api.GET("/api/manage/invoices/{id}", {});`,
      wrongAnswerType: `const n: number = (await api.GET("/api/manage/status")).data!.instance.name;`,
    });
    expect(errors.documented).toBe("");
    expect(errors.missingField).toMatch(/password/);
    expect(errors.unknownPath).toMatch(/gibt-es-nicht/);
    expect(errors.outsideEnum).toMatch(/bezahlt/);
    expect(errors.missingPathParam).toMatch(/params/);
    expect(errors.wrongAnswerType).toMatch(/string.*number/);
  }, 90_000);
});
