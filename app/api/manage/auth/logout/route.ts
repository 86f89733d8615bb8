import { logout } from "@/lib/auth/login";
import { sessionRoute } from "@/lib/doors/manage/route";

/** Logging out also ends a running customer view, so it stays allowed during it. */
export const POST = sessionRoute(
  async ({ auth, ip }) => {
  await logout(auth.principal, { sessionId: auth.principal.sessionId }, { ip, door: auth.via === "cookie" ? "browser" : "manage_api" });
  return { message: "Abgemeldet." };
  },
  { allowWhileImpersonating: true, allowBeforeSecondFactor: true },
);
