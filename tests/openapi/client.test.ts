/**
 * Issue 14: a client generated from the OpenAPI document works. The `paths`
 * type comes from scripts/openapi-types.ts (openapi-typescript cannot be
 * installed), the client is openapi-fetch, and its `fetch` dispatches to the
 * route handlers in-process. Each answer is also validated at runtime against
 * the zod response schema the document was generated from.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { NextRequest } from "next/server";
import createClient from "openapi-fetch";
import { describe, expect, it } from "vitest";
import type { ZodType } from "zod";
import { POST as manageLogin } from "@/app/api/manage/auth/login/route";
import { GET as manageInvoices } from "@/app/api/manage/invoices/route";
import { GET as manageStatus } from "@/app/api/manage/status/route";
import { DEMO_PASSWORD } from "@/db/seed";
import { openApiDocument, openApiPaths } from "@/lib/v1/openapi";
import { generatePathsType } from "@/scripts/openapi-types";
import { useTestDatabase } from "../helpers/db";
import type { paths } from "./generated/client-paths";

useTestDatabase();

const CLIENT_PATHS = ["/api/manage/auth/login", "/api/manage/status", "/api/manage/invoices"];
const GENERATED = path.join(__dirname, "generated", "client-paths.ts");

type Handler = (req: NextRequest, ctx: { params: Promise<Record<string, string>> }) => Response | Promise<Response>;
const HANDLERS: Record<string, Partial<Record<string, Handler>>> = {
  "/api/manage/auth/login": { POST: manageLogin as Handler },
  "/api/manage/status": { GET: manageStatus as Handler },
  "/api/manage/invoices": { GET: manageInvoices as Handler },
};

let ipCounter = 0;
/** A `fetch` that answers from the route handlers, as Next.js would call them. */
async function inProcessFetch(input: Request): Promise<Response> {
  const url = new URL(input.url);
  const handler = HANDLERS[url.pathname]?.[input.method];
  if (!handler) return new Response(JSON.stringify({ message: "Nicht gefunden" }), { status: 404 });
  const headers = new Headers(input.headers);
  const ip = `198.51.100.${(ipCounter++ % 250) + 1}`;
  headers.set("x-forwarded-for", ip);
  headers.set("x-manage-client-ip", ip);
  const body = input.method === "GET" ? undefined : await input.text();
  return handler(new NextRequest(url, { method: input.method, headers, body }), { params: Promise.resolve({}) });
}

/** The zod schema the document's 200 answer of `method apiPath` was generated from. */
function responseSchema(apiPath: string, method: "get" | "post"): ZodType {
  const op = (openApiPaths[apiPath] as Record<string, { responses: Record<string, { content?: Record<string, { schema: ZodType }> }> }>)[method];
  const schema = op.responses["200"].content?.["application/json"]?.schema;
  if (!schema) throw new Error(`${method} ${apiPath}: keine Antwort-Schema im Dokument`);
  return schema;
}

const client = () => createClient<paths>({ baseUrl: "http://localhost:3000", fetch: inProcessFetch });

describe("generated client (openapi-fetch + paths from the document)", () => {
  it("keeps the generated paths type in sync with the document", () => {
    const expected = generatePathsType(openApiDocument() as never, CLIENT_PATHS);
    expect(readFileSync(GENERATED, "utf8"), "npx tsx scripts/openapi-types.ts --out tests/openapi/generated/client-paths.ts " + CLIENT_PATHS.join(" ")).toBe(expected);
  });

  it("runs login → status → invoices, every answer matching the documented schema", async () => {
    const api = client();

    const login = await api.POST("/api/manage/auth/login", { body: { email: "admin@firma.de", password: DEMO_PASSWORD } });
    expect(login.response.status).toBe(200);
    const session = responseSchema("/api/manage/auth/login", "post").parse(login.data) as typeof login.data;
    const token: string = session!.token;
    expect(token.length).toBeGreaterThan(10);
    expect(login.data!.expires_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/);

    const authorized = { headers: { authorization: `Bearer ${token}` } };
    const status = await api.GET("/api/manage/status", authorized);
    expect(status.response.status).toBe(200);
    responseSchema("/api/manage/status", "get").parse(status.data);
    expect(status.data!.instance.name).toBe("acme");

    const invoices = await api.GET("/api/manage/invoices", { ...authorized, params: { query: { page: 1, per_page: 5 } } });
    expect(invoices.response.status).toBe(200);
    responseSchema("/api/manage/invoices", "get").parse(invoices.data);
    expect(invoices.data!.meta.per_page).toBe(5);
    expect(invoices.data!.invoices.length).toBeLessThanOrEqual(5);
    expect(typeof invoices.data!.stats.open_count).toBe("number");
  });

  it("gives the documented error shape for a wrong password and for a missing token", async () => {
    const api = client();
    const login = await api.POST("/api/manage/auth/login", { body: { email: "admin@firma.de", password: "falsch-falsch" } });
    expect(login.response.status).toBe(401);
    expect(login.data).toBeUndefined();
    expect(typeof login.error!.message).toBe("string");

    const status = await api.GET("/api/manage/status");
    expect(status.response.status).toBe(401);
    expect(status.error!.message).toMatch(/\S/);
  });
});
