import { NextRequest } from "next/server";
import { checkAgainstDocument } from "./contract";

type Handler = (req: NextRequest, ctx: { params: Promise<Record<string, string>> }) => Response | Promise<Response>;

export type CallOptions = {
  body?: unknown;
  rawBody?: string;
  token?: string;
  headers?: Record<string, string>;
  params?: Record<string, string>;
  ip?: string;
  /**
   * A deliberate call outside the published API contract (a path the document does not describe on
   * purpose: /api/health, the catch-all 404 routes, hostile paths). Give the reason; the answer is then
   * not checked against the OpenAPI document. Every other answer is.
   */
  outsideContract?: string;
};

/**
 * Calls a route handler the way Next.js does, over a real Request object. `path` may be the documented
 * template (`/api/manage/admin/invoices/{id}`): each `{name}` is filled from `options.params`.
 */
export async function call(handler: Handler, method: string, template: string, options: CallOptions = {}) {
  const path = template.replace(/\{(\w+)\}/g, (whole, name: string) => (options.params?.[name] !== undefined ? encodeURIComponent(options.params[name]) : whole));
  const headers = new Headers(options.headers);
  headers.set("x-forwarded-for", options.ip ?? "203.0.113.10");
  // What the portal's HTTP server (scripts/server.ts) passes on: the peer address it determined.
  headers.set("x-manage-client-ip", options.ip ?? "203.0.113.10");
  if (options.token) headers.set("authorization", `Bearer ${options.token}`);
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers.set("content-type", "application/json");
  }
  const req = new NextRequest(new URL(path, "http://localhost:3000"), { method, headers, body });
  const res = await handler(req, { params: Promise.resolve(options.params ?? {}) });
  const text = await res.text();
  let json: any = undefined;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  const answer = { status: res.status, headers: res.headers, json, text };
  // Every answer a test sees is checked against the published OpenAPI document (tests/helpers/contract.ts).
  if (options.outsideContract === undefined) checkAgainstDocument(method, path, answer);
  return answer;
}
