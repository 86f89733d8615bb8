import { logout } from "@/lib/auth/login";
import { sessionRoute } from "@/lib/http/manage-route";

export const POST = sessionRoute(async ({ auth, ip }) => {
  await logout(auth.principal, ip);
  return { message: "Abgemeldet." };
});
