import { anonymousActor } from "@/lib/activity";
import { parseJsonBody } from "@/lib/http/body";
import { publicRoute } from "@/lib/doors/manage/route";
import { login } from "@/lib/auth/login";
import { loadInstanceContext, presentInstance } from "@/lib/instances/present";
import { apiTimestamp } from "@/lib/time";
import { emailField, passwordField, z } from "@/lib/validation";

const schema = z.object({ email: emailField, password: passwordField });

export const POST = publicRoute(async ({ req, ip }) => {
  const input = await parseJsonBody(req, schema);
  const result = await login(anonymousActor(ip), { ...input, userAgent: req.headers.get("user-agent"), door: "manage_api" });
  const instance = result.user.instanceId === null ? null : presentInstance(await loadInstanceContext(result.user.instanceId));
  return { token: result.token, expires_at: apiTimestamp(result.expiresAt), instance };
});
