import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { users } from "@/db/schema";
import { logActivity } from "@/lib/activity";
import { UnauthorizedError } from "@/lib/errors";
import { verifyPassword } from "./passwords";

export const INVALID_CREDENTIALS = "Die E-Mail-Adresse oder das Passwort ist falsch.";
export const ACCOUNT_DISABLED = "Dieses Konto ist deaktiviert. Bitte wenden Sie sich an Ihren Administrator.";

export type UserRow = typeof users.$inferSelect;

/**
 * The password check shared by every login (manage API, browser, API v1):
 * the same answer and timing for unknown accounts and wrong passwords, the
 * failure logged for existing accounts, deactivated accounts refused.
 */
export async function verifyCredentials(
  emailInput: string,
  password: string,
  failure: { action: string; description: string; ip: string },
): Promise<UserRow> {
  const db = await getDb();
  const email = emailInput.trim().toLowerCase();
  const [user] = await db.select().from(users).where(eq(users.email, email)).limit(1);
  const valid = await verifyPassword(user?.passwordHash, password);
  if (!user || !valid) {
    if (user) {
      await logActivity({
        instanceId: user.instanceId,
        userId: user.id,
        actorName: user.name,
        action: failure.action,
        description: failure.description,
        level: "warning",
        ip: failure.ip,
      });
    }
    throw new UnauthorizedError(INVALID_CREDENTIALS);
  }
  if (!user.active) throw new UnauthorizedError(ACCOUNT_DISABLED);
  return user;
}
