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
};

/** Calls a route handler the way Next.js does, over a real Request object. */
export async function call(handler: Handler, method: string, path: string, options: CallOptions = {}) {
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
  checkAgainstDocument(method, path, answer);
  return answer;
}
