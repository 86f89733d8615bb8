import { NotFoundError } from "@/lib/errors";

type Params = Record<string, string | string[] | undefined>;

/** The numeric instance id of `/admin/instances/[id]`; anything else is 404, never 500. */
export function instanceIdParam(params: Params): number {
  const raw = params.id;
  const n = typeof raw === "string" && /^\d{1,10}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > 2_147_483_647) throw new NotFoundError("Instanz nicht gefunden.");
  return n;
}

export function userIdParam(params: Params): string {
  const raw = params.id;
  if (typeof raw !== "string") throw new NotFoundError("Benutzer nicht gefunden.");
  return raw;
}

export function stringParam(params: Params, key: string, notFound: string): string {
  const raw = params[key];
  if (typeof raw !== "string" || raw.length > 100) throw new NotFoundError(notFound);
  return raw;
}
