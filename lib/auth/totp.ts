/**
 * Authenticator-app 2FA (TOTP: SHA-1, 6 digits, 30 s — what every app reads
 * from the QR code). Set-up is two steps: `startTotpSetup` stores a new
 * secret (encrypted, `secret-box.ts`) unconfirmed and returns the QR code;
 * `confirmTotp` switches it on only after a correct code and hands out ten
 * recovery codes (shown once). A code is accepted one step early or late
 * (±30 s clock drift) and only once: the matched time step must be newer than
 * `last_used_step`, decided by a conditional UPDATE (replay refused, also in
 * parallel). Every check is rate limited per account and per address.
 */
import { and, eq, isNotNull, isNull, lt, sql } from "drizzle-orm";
import * as OTPAuth from "otpauth";
import QRCode from "qrcode";
import { getDb } from "@/db/client";
import { userTotp } from "@/db/schema";
import { inTransaction, type CommandOptions } from "@/db/transaction";
import type { DbOrTx } from "@/db/types";
import { recordActivity } from "@/lib/activity";
import { ConflictError, ValidationError } from "@/lib/errors";
import type { AuthActor } from "./principal";
import { limitedAttempt, LOGIN_RATE_LIMITS } from "./rate-limits";
import { deleteRecoveryCodes, replaceRecoveryCodes } from "./recovery-codes";
import { openSecret, sealSecret } from "./secret-box";
import { confirmAccountPassword } from "./reauthentication";

export const TOTP_ISSUER = "Manage-Portal";
const PERIOD = 30;
export const TOTP_WINDOW = 1;

function totpFor(secretBase32: string, label = "") {
  return new OTPAuth.TOTP({ issuer: TOTP_ISSUER, label, algorithm: "SHA1", digits: 6, period: PERIOD, secret: OTPAuth.Secret.fromBase32(secretBase32) });
}

/** The time step a code belongs to (within the window), or null. */
export function matchTotpStep(secretBase32: string, code: string, now = Date.now()): number | null {
  const token = code.replace(/\s+/g, "");
  if (!/^\d{6}$/.test(token)) return null;
  const totp = totpFor(secretBase32);
  const delta = totp.validate({ token, timestamp: now, window: TOTP_WINDOW });
  if (delta === null) return null;
  return totp.counter({ timestamp: now }) + delta;
}

/** Per account and per address, whichever step checks the code. */
export function codeCheckKeys(userId: string, ip: string | null | undefined, scope: string) {
  return [
    { key: `${scope}:account:${userId}`, rule: LOGIN_RATE_LIMITS.twoFactorAccount, name: `${scope}Account` },
    { key: `${scope}:ip:${ip ?? "unknown"}`, rule: LOGIN_RATE_LIMITS.twoFactor, name: `${scope}Ip` },
  ];
}

export async function totpEnabled(userId: string, tx?: DbOrTx): Promise<boolean> {
  const db = tx ?? (await getDb());
  const [row] = await db
    .select({ userId: userTotp.userId })
    .from(userTotp)
    .where(and(eq(userTotp.userId, userId), isNotNull(userTotp.confirmedAt)));
  return Boolean(row);
}

/** Step 1: a new secret (unconfirmed) and its QR code. Refused while an app is already active. */
export async function startTotpSetup(actor: AuthActor, input: { password: string }, options?: CommandOptions) {
  const { principal } = actor;
  await confirmAccountPassword(actor, input, options);
  const db = options?.tx ?? (await getDb());
  if (await totpEnabled(principal.userId, db)) throw new ConflictError("Die Anmeldung per Authenticator-App ist bereits aktiv.");
  const secret = new OTPAuth.Secret({ size: 20 }).base32;
  await db
    .insert(userTotp)
    .values({ userId: principal.userId, secretEncrypted: sealSecret(secret) })
    .onConflictDoUpdate({ target: userTotp.userId, set: { secretEncrypted: sealSecret(secret), lastUsedStep: 0, createdAt: new Date() }, where: isNull(userTotp.confirmedAt) });
  const uri = totpFor(secret, principal.email).toString();
  const qr_code = await QRCode.toDataURL(uri, { margin: 1, width: 220 });
  return { secret, otpauth_url: uri, qr_code };
}

/**
 * Checks a code against the user's secret and records its step, so the same
 * code (or an older one) is refused afterwards. `confirmed` chooses between
 * the active secret (login) and the one being set up.
 */
export async function checkTotp(userId: string, code: string, options: { confirmed: boolean; tx?: DbOrTx; now?: number }): Promise<boolean> {
  const db = options.tx ?? (await getDb());
  const [row] = await db
    .select()
    .from(userTotp)
    .where(and(eq(userTotp.userId, userId), options.confirmed ? isNotNull(userTotp.confirmedAt) : isNull(userTotp.confirmedAt)));
  if (!row) return false;
  const step = matchTotpStep(openSecret(row.secretEncrypted), code, options.now);
  if (step === null) return false;
  const taken = await db
    .update(userTotp)
    .set({ lastUsedStep: step })
    .where(and(eq(userTotp.userId, userId), lt(userTotp.lastUsedStep, step)))
    .returning({ userId: userTotp.userId });
  return taken.length === 1;
}

/** Step 2: a correct code switches the app on; returns ten recovery codes, shown once. */
export async function confirmTotp(actor: AuthActor, input: { code: string }, options?: CommandOptions) {
  const { principal } = actor;
  const { code } = input;
  const ok = await limitedAttempt(codeCheckKeys(principal.userId, actor.ip, "totp-setup"), `totp-setup:${principal.userId}`, async () => {
    if (!(await checkTotp(principal.userId, code, { confirmed: false, tx: options?.tx }))) {
      throw new ValidationError({ code: ["Der Code ist falsch oder abgelaufen. Bitte den aktuellen Code aus der App eingeben."] });
    }
    return true;
  });
  if (!ok) throw new ValidationError({ code: ["Der Code ist falsch."] });
  return inTransaction(options, async (tx) => {
    const [on] = await tx
      .update(userTotp)
      .set({ confirmedAt: sql`now()` })
      .where(and(eq(userTotp.userId, principal.userId), isNull(userTotp.confirmedAt)))
      .returning({ userId: userTotp.userId });
    if (!on) throw new ConflictError("Die Anmeldung per Authenticator-App ist bereits aktiv.");
    const recovery_codes = await replaceRecoveryCodes(tx, principal.userId);
    await recordActivity(tx, actor, {
      instanceId: principal.instanceId,
      action: "auth.2fa_enabled",
      description: "Zwei-Faktor-Anmeldung per Authenticator-App aktiviert",
      metadata: { method: "totp" },
    });
    return {
      totp_enabled: true,
      recovery_codes,
      message: "Die Authenticator-App ist aktiv. Bewahren Sie die Wiederherstellungscodes sicher auf – sie werden nur jetzt angezeigt.",
    };
  });
}

/** Switches the app off (password confirms); recovery codes go when no passkey is left either. */
export async function disableTotp(actor: AuthActor, input: { password: string }, options?: CommandOptions) {
  const { principal } = actor;
  await confirmAccountPassword(actor, input, options);
  await inTransaction(options, async (tx) => {
    const removed = await tx.delete(userTotp).where(eq(userTotp.userId, principal.userId)).returning({ confirmedAt: userTotp.confirmedAt });
    if (!removed[0]?.confirmedAt) return;
    const { countPasskeys } = await import("./passkeys");
    if ((await countPasskeys(principal.userId, tx)) === 0) await deleteRecoveryCodes(tx, principal.userId);
    await recordActivity(tx, actor, {
      instanceId: principal.instanceId,
      action: "auth.2fa_disabled",
      description: "Zwei-Faktor-Anmeldung per Authenticator-App deaktiviert",
      metadata: { method: "totp" },
    });
  });
  return { totp_enabled: false, message: "Die Anmeldung per Authenticator-App ist deaktiviert." };
}
