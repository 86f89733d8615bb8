/**
 * The app's API route files behind a real HTTP server on 127.0.0.1, without a
 * Next.js build: a node:http server with the portal's own request
 * preprocessing (`portalRequestListener`, the same listener scripts/server.ts
 * puts in front of Next: client address from the socket, request id), routing
 * by the folder structure of app/api the way the App Router does (a static
 * segment before `[param]` before `[...catchAll]`), handlers called with a
 * NextRequest and `{ params }`. Pages, `proxy.ts` (pages only) and Next's
 * own request handling are not part of it.
 *
 *   const api = await startApiServer();
 *   await fetch(`${api.url}/api/manage/status`);
 *   await api.close();
 */
import { readdirSync, statSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { NextRequest } from "next/server";
import { portalRequestListener } from "@/lib/observability/request";

type Handler = (req: NextRequest, ctx: { params: Promise<Record<string, string | string[]>> }) => Response | Promise<Response>;
type Folder = { dir: string; hasRoute: boolean; children: Map<string, Folder> };

const API_DIR = path.join(process.cwd(), "app", "api");

function readFolder(dir: string): Folder {
  const folder: Folder = { dir, hasRoute: false, children: new Map() };
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) folder.children.set(name, readFolder(full));
    else if (name === "route.ts") folder.hasRoute = true;
  }
  return folder;
}

/** The route folder for `segments`, with its params; static names win over `[param]`, which wins over `[...rest]`. */
export function matchRoute(folder: Folder, segments: string[], params: Record<string, string | string[]> = {}): { dir: string; params: Record<string, string | string[]> } | undefined {
  if (segments.length === 0) return folder.hasRoute ? { dir: folder.dir, params } : undefined;
  const [head, ...rest] = segments;
  const exact = folder.children.get(head);
  const viaExact = exact && matchRoute(exact, rest, params);
  if (viaExact) return viaExact;
  for (const [name, child] of folder.children) {
    const dynamic = /^\[(\w+)\]$/.exec(name);
    if (!dynamic) continue;
    const found = matchRoute(child, rest, { ...params, [dynamic[1]]: head });
    if (found) return found;
  }
  for (const [name, child] of folder.children) {
    const catchAll = /^\[\.\.\.(\w+)\]$/.exec(name);
    if (catchAll && child.hasRoute) return { dir: child.dir, params: { ...params, [catchAll[1]]: segments } };
  }
  return undefined;
}

async function readBody(req: http.IncomingMessage): Promise<Buffer | undefined> {
  if (req.method === "GET" || req.method === "HEAD") return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function startApiServer(): Promise<{ url: string; requests: () => string[]; close: () => Promise<void> }> {
  const root = readFolder(API_DIR);
  const seen: string[] = [];

  const listener = portalRequestListener(
    async (req, res) => {
      const url = new URL(req.url ?? "/", `http://${req.headers.host ?? "127.0.0.1"}`);
      const segments = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
      const route = segments[0] === "api" ? matchRoute(root, segments.slice(1)) : undefined;
      const mod = route ? ((await import(path.join(route.dir, "route.ts"))) as Record<string, unknown>) : undefined;
      const handler = mod?.[req.method ?? "GET"] as Handler | undefined;
      seen.push(`${req.method} ${url.pathname}`);
      if (!handler) {
        res.writeHead(route ? 405 : 404, { "content-type": "application/json; charset=utf-8" });
        res.end(JSON.stringify({ message: route ? "Methode nicht erlaubt." : "Diesen Endpunkt gibt es nicht." }));
        return;
      }
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
      }
      const body = await readBody(req);
      const answer = await handler(new NextRequest(url, { method: req.method, headers, body: body?.length ? new Uint8Array(body) : undefined }), {
        params: Promise.resolve(route!.params),
      });
      const out: Record<string, string | string[]> = {};
      answer.headers.forEach((value, name) => {
        if (name !== "set-cookie") out[name] = value;
      });
      const cookies = answer.headers.getSetCookie();
      if (cookies.length) out["set-cookie"] = cookies;
      res.writeHead(answer.status, out);
      res.end(Buffer.from(await answer.arrayBuffer()));
    },
    { trustedProxyHops: 0 },
  );

  const server = http.createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => [...seen],
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
