/**
 * Which methods each API route serves, for the `Allow` header of a 405
 * (RFC 9110 §15.5.6: a 405 must list the methods the resource supports).
 * Next answers an unsupported method with an empty 405 and no `Allow`; its own
 * automatic OPTIONS knows the list but is not consulted there. So the portal
 * server knows the methods a `route.ts` exports, plus HEAD for GET and
 * OPTIONS, as Next implements those itself: `npm run build` writes them to
 * dist/api-routes.json (scripts/build-server.mjs), because a production
 * install carries the build, not the sources; a checkout reads its sources.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

type Segment = { kind: "static"; value: string } | { kind: "param" } | { kind: "catch-all"; optional: boolean };
export type ApiRoute = { segments: Segment[]; methods: string[] };

/** The HTTP methods a route module exports (`export const GET`, `export async function POST`, `export { h as GET }`). */
export function exportedMethods(source: string): string[] {
  const found = new Set<string>();
  for (const match of source.matchAll(/export\s+(?:async\s+)?(?:const|let|function)\s+([A-Z]+)\b/g)) found.add(match[1]!);
  for (const block of source.matchAll(/export\s*\{([^}]*)\}/g)) {
    for (const part of block[1]!.split(",")) {
      const name = part.trim().split(/\s+as\s+/).pop()?.trim();
      if (name) found.add(name);
    }
  }
  return HTTP_METHODS.filter((method) => found.has(method));
}

/** With Next's automatic HEAD (for GET) and OPTIONS, sorted as Next's own `Allow`. */
function allowList(exported: string[]): string[] {
  const methods = new Set([...exported, "OPTIONS"]);
  if (methods.has("GET")) methods.add("HEAD");
  return [...methods].sort();
}

function parseSegment(name: string): Segment | null {
  if (/^\(.*\)$/.test(name)) return null; // a route group is not part of the URL
  const optional = /^\[\[\.\.\..+\]\]$/.test(name);
  if (optional || /^\[\.\.\..+\]$/.test(name)) return { kind: "catch-all", optional };
  if (/^\[.+\]$/.test(name)) return { kind: "param" };
  return { kind: "static", value: name };
}

/** Every `route.ts` under `app/api` of the project in `dir`. */
export function scanApiRoutes(dir: string): ApiRoute[] {
  const root = path.join(dir, "app", "api");
  if (!existsSync(root)) return [];
  const routes: ApiRoute[] = [];
  const walk = (folder: string, segments: Segment[]) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (entry.isDirectory()) {
        const segment = parseSegment(entry.name);
        walk(path.join(folder, entry.name), segment ? [...segments, segment] : segments);
      } else if (/^route\.(ts|js)$/.test(entry.name)) {
        routes.push({ segments, methods: allowList(exportedMethods(readFileSync(path.join(folder, entry.name), "utf8"))) });
      }
    }
  };
  walk(root, [{ kind: "static", value: "api" }]);
  return routes;
}

const BUILT_ROUTES = path.join("dist", "api-routes.json");

/** At build: the routes of the sources in `dir`, into the build in `into`, for a production install without the sources. */
export function writeApiRoutes(dir: string, into = dir) {
  writeFileSync(path.join(into, BUILT_ROUTES), JSON.stringify(scanApiRoutes(dir)));
}

/** The routes of the sources in `dir`, or of its build when the sources are not there. */
export function loadApiRoutes(dir: string): ApiRoute[] {
  if (existsSync(path.join(dir, "app", "api"))) return scanApiRoutes(dir);
  const built = path.join(dir, BUILT_ROUTES);
  return existsSync(built) ? (JSON.parse(readFileSync(built, "utf8")) as ApiRoute[]) : [];
}

/** How well a route fits a path: null when it does not, else a rank (static before dynamic before catch-all, as Next routes). */
function fit(route: ApiRoute, parts: string[]): number[] | null {
  const rank: number[] = [];
  for (let i = 0; i < route.segments.length; i++) {
    const segment = route.segments[i]!;
    if (segment.kind === "catch-all") {
      const rest = parts.length - i;
      if (rest < (segment.optional ? 0 : 1)) return null;
      rank.push(2);
      return rank;
    }
    const part = parts[i];
    if (part === undefined) return null;
    if (segment.kind === "static") {
      if (segment.value !== part) return null;
      rank.push(0);
    } else rank.push(1);
  }
  return parts.length === route.segments.length ? rank : null;
}

/** The `Allow` value for a request path, or null when no route serves it. */
export function allowedMethods(routes: ApiRoute[], pathname: string): string | null {
  const parts = pathname.split("/").filter(Boolean);
  let best: { rank: number[]; route: ApiRoute } | undefined;
  for (const route of routes) {
    const rank = fit(route, parts);
    if (!rank) continue;
    if (!best || compareRanks(rank, best.rank) < 0) best = { rank, route };
  }
  return best ? best.route.methods.join(", ") : null;
}

function compareRanks(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return b.length - a.length;
}
