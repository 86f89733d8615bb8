import { logout } from "@/lib/auth/login";
import { sessionRoute } from "@/lib/http/manage-route";

export const POST = sessionRoute(async ({ auth, ip }) => {
  await logout(auth.principal, { sessionId: auth.principal.sessionId }, { ip, door: auth.via === "cookie" ? "browser" : "manage_api" });
  return { message: "Abgemeldet." };
});
