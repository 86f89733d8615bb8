/**
 * Who must use a strong second factor (an authenticator app or a passkey):
 * every MSP staff account when the MSP requires it (`STAFF_REQUIRE_SECOND_FACTOR`,
 * on by default in production), and every user of an instance whose admin
 * switched on "Zwei Faktoren für alle Benutzer" (`instances.require_two_factor`).
 * E-mail codes do not count: the mailbox is usually reachable with the same
 * password. An account that must but has none can sign in, and is then led
 * through setting one up: the doors let only the set-up through (403
 * `second_factor_setup_required` elsewhere, the pages redirect).
 */
import { eq, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { instances, userPasskeys, userTotp } from "@/db/schema";
import { config } from "@/lib/config";
import { NotFoundError } from "@/lib/errors";
import { resultRows } from "@/db/types";
import { inTransaction, type CommandOptions } from "@/db/transaction";
import { recordActivity } from "@/lib/activity";
import { AuthError } from "./errors";
import type { AuthActor, Principal } from "./principal";

export type SecondFactorRule = "staff" | "instance";

export const SECOND_FACTOR_SETUP_PATH = "/zweiter-faktor";

export const SECOND_FACTOR_SETUP_MESSAGE =
  "Für dieses Konto ist eine Authenticator-App oder ein Passkey vorgeschrieben. Bitte richten Sie zuerst einen davon ein.";

/** The rule that requires a strong second factor the account does not have yet, or null. */
export async function pendingSecondFactorSetup(
  principal: Pick<Principal, "userId" | "staff" | "instanceId">,
  known: { instanceRule?: boolean } = {},
): Promise<SecondFactorRule | null> {
  const staffRule = principal.staff && config().staffRequireSecondFactor;
  // Most requests end here: no staff rule, and the instance's rule came with the session (or there is no instance).
  if (!staffRule && (principal.instanceId === null || known.instanceRule === false)) return null;
  const db = await getDb();
  const [row] = await db.execute(sql`select
      (select i.require_two_factor from ${instances} i where i.id = ${principal.instanceId ?? -1}) as instance_rule,
      (exists (select 1 from ${userTotp} t where t.user_id = ${principal.userId} and t.confirmed_at is not null)
        or exists (select 1 from ${userPasskeys} p where p.user_id = ${principal.userId})) as has_strong`).then((r) => resultRows<{ instance_rule: boolean | null; has_strong: boolean }>(r));
  if (!row || row.has_strong) return null;
  if (staffRule) return "staff";
  return row.instance_rule ? "instance" : null;
}

/** Refuses everything but the set-up while a required second factor is missing. */
export async function assertSecondFactorSetUp(principal: Principal, known: { instanceRule?: boolean } = {}): Promise<void> {
  const rule = await pendingSecondFactorSetup(principal, known);
  if (rule) throw new AuthError(403, "second_factor_setup_required", SECOND_FACTOR_SETUP_MESSAGE, { second_factor_setup_required: true, setup_path: SECOND_FACTOR_SETUP_PATH });
}

/** The customer admin's setting: every user of the instance needs an authenticator app or a passkey. */
export async function setInstanceSecondFactorRule(actor: AuthActor, input: { instanceId: number; required: boolean }, options?: CommandOptions) {
  const { instanceId, required } = input;
  return inTransaction(options, async (tx) => {
    const [row] = await tx.update(instances).set({ requireTwoFactor: required }).where(eq(instances.id, instanceId)).returning({ id: instances.id });
    if (!row) throw new NotFoundError("Die Instanz wurde nicht gefunden.");
    await recordActivity(tx, actor, {
      instanceId,
      action: "auth.second_factor_rule",
      description: required
        ? "Authenticator-App oder Passkey für alle Benutzer vorgeschrieben"
        : "Vorschrift Authenticator-App oder Passkey für alle Benutzer aufgehoben",
      metadata: { required },
    });
    return { require_two_factor: required };
  });
}
