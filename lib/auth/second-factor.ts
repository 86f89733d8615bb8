/**
 * The second factor of a login, whichever method the account has: the mailed
 * 8-digit code (e-mail 2FA, seed 002), a 6-digit code from the authenticator
 * app (TOTP), a one-time recovery code, or a passkey. The login challenge
 * (`two-factor.ts`) stays the same for all of them — token, attempt counter,
 * account lock — only the comparison differs. Without an explicit `method`
 * the code's shape decides (8 digits: e-mail, 6 digits: app,
 * `xxxxx-xxxxx`: recovery code), so API v1 clients of e-mail accounts send
 * exactly what they sent before.
 */
import type { AuthenticationResponseJSON } from "@simplewebauthn/server";
import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { users } from "@/db/schema";
import { inTransaction, type CommandOptions } from "@/db/transaction";
import type { DbOrTx } from "@/db/types";
import { anonymousActor, recordActivity, type AnonymousActor } from "@/lib/activity";
import { ConflictError, NotFoundError, ValidationError } from "@/lib/errors";
import { countPasskeys, verifyPasskeyAssertion } from "./passkeys";
import { emailConfirmationState } from "./email-two-factor";
import type { AuthActor } from "./principal";
import { consumeRecoveryCode, looksLikeRecoveryCode, remainingRecoveryCodes, replaceRecoveryCodes } from "./recovery-codes";
import { checkTotp, totpEnabled } from "./totp";
import { confirmAccountPassword } from "./reauthentication";

export const SECOND_FACTOR_METHODS = ["email", "totp", "recovery_code", "passkey"] as const;
export type SecondFactorMethod = (typeof SECOND_FACTOR_METHODS)[number];
export type PasskeyProof = { challenge_id: string; response: AuthenticationResponseJSON };
export type SecondFactorProof = { method?: SecondFactorMethod; passkey?: PasskeyProof };

export function methodOfCode(code: string): SecondFactorMethod | null {
  const c = code.trim();
  if (/^\d{8}$/.test(c)) return "email";
  if (/^\d{6}$/.test(c)) return "totp";
  if (looksLikeRecoveryCode(c)) return "recovery_code";
  return null;
}

/** Compares one answer of a login challenge; `emailCheck` compares the mailed code. */
export async function checkSecondFactor(
  actor: AnonymousActor,
  input: SecondFactorProof & { userId: string; code: string; emailCheck: () => boolean },
): Promise<boolean> {
  const { userId, code, emailCheck, ...proof } = input;
  const ip = actor.ip;
  const method = proof.passkey ? "passkey" : (proof.method ?? methodOfCode(code));
  switch (method) {
    case "email":
      return emailCheck();
    case "totp":
      return checkTotp(userId, code, { confirmed: true });
    case "recovery_code": {
      const used = await consumeRecoveryCode(userId, code);
      if (used) {
        const db = await getDb();
        const [user] = await db.select().from(users).where(eq(users.id, userId));
        await recordActivity(db, anonymousActor(ip, user ?? null), {
          instanceId: user?.instanceId ?? null,
          action: "auth.recovery_code_used",
          description: `Anmeldung mit Wiederherstellungscode (noch ${await remainingRecoveryCodes(userId)} übrig)`,
        });
      }
      return used;
    }
    case "passkey":
      if (!proof.passkey) return false;
      return verifyPasskeyAssertion(proof.passkey, userId).then(
        () => true,
        () => false,
      );
    default:
      return false;
  }
}

/** Which second factors an account has; a login asks for one when e-mail 2FA or the app is on. */
export async function secondFactorStatus(user: { id: string; twoFactorEnabled: boolean }, tx?: DbOrTx) {
  const [totp, passkeys, recovery] = await Promise.all([totpEnabled(user.id, tx), countPasskeys(user.id, tx), remainingRecoveryCodes(user.id, tx)]);
  const methods: SecondFactorMethod[] = [];
  if (totp) methods.push("totp");
  if (user.twoFactorEnabled) methods.push("email");
  if (passkeys > 0) methods.push("passkey");
  if (recovery > 0 && (totp || passkeys > 0)) methods.push("recovery_code");
  return { required: user.twoFactorEnabled || totp, methods, email: user.twoFactorEnabled, totp, passkeys, recovery_codes_remaining: recovery };
}

/** The account page's overview: what is on, how many passkeys, how many recovery codes are left. */
export async function accountSecondFactors(userId: string) {
  const db = await getDb();
  const [user] = await db.select({ id: users.id, email: users.email, twoFactorEnabled: users.twoFactorEnabled }).from(users).where(eq(users.id, userId));
  if (!user) throw new NotFoundError("Das Konto wurde nicht gefunden.");
  const status = await secondFactorStatus(user);
  return {
    two_factor_enabled: user.twoFactorEnabled,
    email: user.email,
    totp_enabled: status.totp,
    passkeys: status.passkeys,
    recovery_codes_remaining: status.recovery_codes_remaining,
    methods: status.methods,
    /** An open "E-Mail-Bestätigung einschalten": where the test code went and until when it is valid. */
    email_confirmation: await emailConfirmationState(user.id),
  };
}

/** Ten new recovery codes (the old ones stop working), password-confirmed; only for accounts with app or passkey. */
export async function regenerateRecoveryCodes(actor: AuthActor, input: { password: string }, options?: CommandOptions) {
  const { principal } = actor;
  const user = await confirmAccountPassword(actor, input, options);
  const status = await secondFactorStatus(user, options?.tx);
  if (!status.totp && status.passkeys === 0) {
    throw new ConflictError("Wiederherstellungscodes gibt es mit Authenticator-App oder Passkey. Richten Sie zuerst eine dieser Methoden ein.");
  }
  return inTransaction(options, async (tx) => {
    const recovery_codes = await replaceRecoveryCodes(tx, user.id);
    await recordActivity(tx, actor, {
      instanceId: principal.instanceId,
      action: "auth.recovery_codes_generated",
      description: "Neue Wiederherstellungscodes erzeugt (die bisherigen gelten nicht mehr)",
    });
    return { recovery_codes, message: "Neue Wiederherstellungscodes erzeugt. Die bisherigen Codes gelten nicht mehr." };
  });
}
