/**
 * Confirming a sensitive account change with the password: every such check
 * (switching e-mail 2FA on, setting up or removing the authenticator app,
 * new recovery codes) is limited per account and per address like a password
 * change (5 per 5 minutes), so an open session cannot be used to guess the
 * password behind it.
 */
import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { users } from "@/db/schema";
import { NotFoundError, ValidationError } from "@/lib/errors";
import { verifyPassword } from "./passwords";
import type { Principal } from "./principal";
import { limitedAttempt, LOGIN_RATE_LIMITS } from "./rate-limits";

type UserRow = typeof users.$inferSelect;

/** The password of a security setting, limited per account and per address like a password change. */
export async function confirmAccountPassword(principal: Principal, password: string, ip?: string | null): Promise<UserRow> {
  const keys = [
    { key: `password-confirm:account:${principal.userId}`, rule: LOGIN_RATE_LIMITS.passwordChange, name: "passwordConfirmAccount" },
    { key: `password-confirm:ip:${ip ?? "unknown"}`, rule: LOGIN_RATE_LIMITS.passwordChange, name: "passwordConfirmIp" },
  ];
  return limitedAttempt(keys, `password-confirm:${principal.userId}`, async () => {
    const db = await getDb();
    const [user] = await db.select().from(users).where(eq(users.id, principal.userId));
    if (!user) throw new NotFoundError("Das Konto wurde nicht gefunden.");
    if (!(await verifyPassword(user.passwordHash, password))) throw new ValidationError({ password: ["Das Passwort ist falsch."] });
    return user;
  });
}
