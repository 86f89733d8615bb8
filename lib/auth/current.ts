import { cache } from "react";
import { cookies } from "next/headers";
import type { InstanceContext } from "@/lib/instances/present";
import { sessionCookieName, sessionTokenFromCookie } from "./browser-session";
import { loadSessionPrincipal, type Principal } from "./principal";

/**
 * The signed-in session of a page request with its principal and own instance,
 * checked against the session row in one query; memoised per request (React
 * `cache`), so layout, page and guards share one lookup.
 */
export const currentSession = cache(async (): Promise<{ principal: Principal; instance: InstanceContext | null } | null> => {
  const store = await cookies();
  const token = await sessionTokenFromCookie(store.get(sessionCookieName())?.value);
  if (!token) return null;
  return loadSessionPrincipal(token);
});

/** The signed-in user of a page request, checked against the session row. */
export async function currentPrincipal(): Promise<Principal | null> {
  return (await currentSession())?.principal ?? null;
}
