import { cookies } from "next/headers";
import { sessionCookieName, sessionTokenFromCookie } from "./browser-session";
import { loadPrincipal, type Principal } from "./principal";
import { findActiveSession } from "./sessions";

/** The signed-in user of a page request, checked against the session row. */
export async function currentPrincipal(): Promise<Principal | null> {
  const store = await cookies();
  const token = await sessionTokenFromCookie(store.get(sessionCookieName())?.value);
  if (!token) return null;
  const found = await findActiveSession(token);
  if (!found) return null;
  return loadPrincipal(found.user, found.session.id);
}
