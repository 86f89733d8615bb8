import { NotFoundError } from "@/lib/errors";
import { MAX_INT_ID } from "@/lib/validation";

/**
 * Route parameters. Every id that does not fit its column is "not found"
 * (404), never a database error: serial ids are PostgreSQL `integer`
 * (1 … 2 147 483 647), Hetzner server ids are stored in `integer` columns too.
 */
export type RouteParamValues = Record<string, string | string[] | undefined>;

export { MAX_INT_ID };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A positive integer id from a path segment or query value; anything else → `null`. */
export function parseIntId(raw: unknown): number | null {
  if (typeof raw !== "string" || !/^\d{1,10}$/.test(raw)) return null;
  const n = Number(raw);
  return n >= 1 && n <= MAX_INT_ID ? n : null;
}

export function isUuid(raw: unknown): raw is string {
  return typeof raw === "string" && UUID.test(raw);
}

/** `params[key]` as integer id, or a 404 with the given German message. */
export function intIdParam(params: RouteParamValues, key: string, notFound: string): number {
  const id = parseIntId(params[key]);
  if (id === null) throw new NotFoundError(notFound);
  return id;
}

/** `params[key]` as lower-case UUID, or a 404 with the given German message. */
export function uuidParam(params: RouteParamValues, key: string, notFound: string): string {
  const raw = params[key];
  if (!isUuid(raw)) throw new NotFoundError(notFound);
  return raw.toLowerCase();
}

/** A short opaque string key (tier keys and the like), or a 404. */
export function keyParam(params: RouteParamValues, key: string, notFound: string): string {
  const raw = params[key];
  if (typeof raw !== "string" || raw.length === 0 || raw.length > 100 || /[\u0000-\u001f]/.test(raw)) throw new NotFoundError(notFound);
  return raw;
}
