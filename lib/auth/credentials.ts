import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { users } from "@/db/schema";
import { anonymousActor, recordActivity, type AnonymousActor } from "@/lib/activity";
import { loggableError, UnauthorizedError } from "@/lib/errors";
import { logger } from "@/lib/observability/logger";
import { deviceLabel, UNKNOWN_DEVICE } from "./devices";
import { verifyPassword } from "./passwords";

export const INVALID_CREDENTIALS = "Die E-Mail-Adresse oder das Passwort ist falsch.";
export const ACCOUNT_DISABLED = "Dieses Konto ist deaktiviert. Bitte wenden Sie sich an Ihren Administrator.";

const auditWrites = new Set<Promise<unknown>>();

function trackAuditWrite(write: Promise<unknown>) {
  const tracked = write
    .catch((error) => logger().error({ err: loggableError(error) }, "recording a failed login failed"))
    .finally(() => auditWrites.delete(tracked));
  auditWrites.add(tracked);
}

/** Waits for failed-login entries still being written (tests; shutdown). */
export async function settleAuditWrites() {
  while (auditWrites.size > 0) await Promise.all([...auditWrites]);
}

export type UserRow = typeof users.$inferSelect;

/** The ways in: manage API (session token), the portal's login form (next-auth), API v1 (JWT pair). */
export type LoginDoor = "manage_api" | "browser" | "api_v1";

/**
 * The password check shared by every login (manage API, browser, API v1):
 * the same answer and timing for unknown accounts and wrong passwords, the
 * failure logged for existing accounts (one action code whichever door), deactivated accounts refused.
 * A step of the login commands, `(actor, input)` without `options`: the failure entry must stay
 * written when the login fails, so it never joins a caller's transaction.
 * The failure entry is written beside the answer, not before it, so a known
 * account's wrong password is not measurably slower than an unknown account.
 */
export async function verifyCredentials(
  actor: AnonymousActor,
  attempt: { email: string; password: string; door: LoginDoor; userAgent?: string | null; knownDevice?: boolean },
): Promise<UserRow> {
  const { password } = attempt;
  const ip = actor.ip ?? "unknown";
  const db = await getDb();
  const email = attempt.email.trim().toLowerCase();
  const [user] = await db.select().from(users).where(eq(users.email, email)).limit(1);
  const valid = await verifyPassword(user?.passwordHash, password);
  if (!user || !valid) {
    if (user) {
      // Nothing changes, so no transaction: the entry is the only write. Nobody proved to be the account.
      // Not awaited: an unknown account has no entry to write, and the answer must not take longer for a known one.
      // The account's security log: address (the entry's IP) and device, so the user can tell their own typo from an attack.
      const device = deviceLabel(attempt.userAgent) ?? UNKNOWN_DEVICE;
      const what = attempt.door === "api_v1" ? "Fehlgeschlagener API-Login (falsches Passwort)" : "Fehlgeschlagener Login (falsches Passwort)";
      trackAuditWrite(
        recordActivity(db, anonymousActor(ip, user), {
          instanceId: user.instanceId,
          action: "manage.login_failed",
          description: `${what} – ${device}, IP ${ip}${attempt.knownDevice ? " (bekanntes Gerät)" : ""}`,
          metadata: {
            via: attempt.door,
            device,
            user_agent: attempt.userAgent?.slice(0, 300) ?? null,
            known_device: Boolean(attempt.knownDevice),
          },
        }),
      );
    }
    throw new UnauthorizedError(INVALID_CREDENTIALS);
  }
  if (!user.active) throw new UnauthorizedError(ACCOUNT_DISABLED);
  return user;
}
