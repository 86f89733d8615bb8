/** The single-row billing settings (defaults until staff save them once). */
import { getDb } from "@/db/client";
import { inTransaction, type CommandOptions } from "@/db/transaction";
import type { DbOrTx } from "@/db/types";
import { billingSettings } from "@/db/schema";
import { recordActivity, type Actor } from "@/lib/activity";
import { apiTimestamp } from "@/lib/time";
import type { BillingSettingsValues } from "./plan";
import type { SettingsInput } from "./schemas";

const DEFAULTS: BillingSettingsValues = { billingDay: 1, billSuspended: true, autoIssue: false, tierVatRate: 1900 };

export async function loadSettings(db: DbOrTx): Promise<BillingSettingsValues & { updatedAt: Date | null }> {
  const [row] = await db.select().from(billingSettings);
  if (!row) return { ...DEFAULTS, updatedAt: null };
  return { billingDay: row.billingDay, billSuspended: row.billSuspended, autoIssue: row.autoIssue, tierVatRate: row.tierVatRate, updatedAt: row.updatedAt };
}

function present(s: BillingSettingsValues & { updatedAt: Date | null }) {
  return { billing_day: s.billingDay, bill_suspended: s.billSuspended, auto_issue: s.autoIssue, updated_at: apiTimestamp(s.updatedAt) };
}

export async function getBillingSettings() {
  return present(await loadSettings(await getDb()));
}

export async function updateBillingSettings(actor: Actor, input: SettingsInput, options?: CommandOptions) {
  const values = { billingDay: input.billing_day, billSuspended: input.bill_suspended, autoIssue: input.auto_issue, updatedAt: new Date() };
  await inTransaction(options, async (tx) => {
    await tx.insert(billingSettings).values({ id: 1, ...values }).onConflictDoUpdate({ target: billingSettings.id, set: values });
    await recordActivity(tx, actor, { instanceId: null, action: "billing.settings_updated", metadata: { ...input } });
  });
  return present(await loadSettings(options?.tx ?? (await getDb())));
}
