import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { users } from "@/db/schema";
import { logActivity } from "@/lib/activity";
import { createSession } from "@/lib/auth/sessions";
import { enforceRateLimit } from "@/lib/rate-limit";
import { V1_RATE_LIMITS } from "./rate-limits";
import { verifyChallenge } from "./two-factor";

/**
 * Second step of the browser login for accounts with e-mail 2FA: the code
 * from the mail plus the challenge token open a browser session.
 */
export async function completeBrowserTwoFactor(input: { challengeToken: string; code: string; ip: string; userAgent?: string | null }) {
  await enforceRateLimit(`v1-2fa:ip:${input.ip}`, V1_RATE_LIMITS.twoFactor);
  const user = await verifyChallenge(input.challengeToken, input.code.trim(), "browser", input.ip);
  const session = await createSession(user.id, "browser", { ip: input.ip, userAgent: input.userAgent });
  const db = await getDb();
  await db.update(users).set({ lastLoginAt: new Date() }).where(eq(users.id, user.id));
  await logActivity({
    instanceId: user.instanceId,
    userId: user.id,
    actorName: user.name,
    action: "manage.login",
    description: "Login über das Web-Portal (mit 2FA-Code)",
    ip: input.ip,
  });
  return { user, ...session };
}
