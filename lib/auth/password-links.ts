/**
 * The state of a mailed reset or invitation link, read when the page opens
 * (read-only; `resetPassword` still claims the token atomically). A used or
 * expired link says so before anyone fills in the form.
 */
import { and, eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { passwordResetTokens, users } from "@/db/schema";
import { hashToken } from "@/lib/crypto/tokens";

export type PasswordLinkState = "valid" | "used" | "expired" | "invalid";

export async function passwordLinkState(emailInput: string, token: string): Promise<PasswordLinkState> {
  if (!emailInput || !token || token.length > 200) return "invalid";
  const db = await getDb();
  const [row] = await db
    .select({ usedAt: passwordResetTokens.usedAt, expiresAt: passwordResetTokens.expiresAt })
    .from(passwordResetTokens)
    .innerJoin(users, eq(users.id, passwordResetTokens.userId))
    .where(and(eq(passwordResetTokens.tokenHash, hashToken(token)), eq(users.email, emailInput.trim().toLowerCase())))
    .limit(1);
  if (!row) return "invalid";
  if (row.usedAt) return "used";
  if (row.expiresAt.getTime() <= Date.now()) return "expired";
  return "valid";
}
