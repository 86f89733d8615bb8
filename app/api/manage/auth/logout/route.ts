import { principalActor } from "@/lib/activity";
import { logout } from "@/lib/auth/login";
import { sessionRoute } from "@/lib/doors/manage/route";

/** Logging out also ends a running customer view, so it stays allowed during it. */
export const POST = sessionRoute(
  async ({ auth, ip }) => {
    await logout(principalActor(auth.principal, ip), { sessionId: auth.principal.sessionId, door: auth.via === "cookie" ? "browser" : "manage_api" });
    return { message: "Abgemeldet." };
  },
  { allowWhileImpersonating: true, allowBeforeSecondFactor: true },
);
