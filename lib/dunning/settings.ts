/** The single-row dunning settings (defaults until staff save them once). */
import { getDb } from "@/db/client";
import { inTransaction, type CommandOptions } from "@/db/transaction";
import type { DbOrTx } from "@/db/types";
import { dunningSettings } from "@/db/schema";
import { recordActivity, type Actor } from "@/lib/activity";
import { centsToNumber, formatEuro } from "@/lib/money";
import { apiTimestamp } from "@/lib/time";
import type { DunningSettingsInput } from "./schemas";

export type DunningSettingsValues = {
  enabled: boolean;
  reminderDays: number;
  dunning1Days: number;
  dunning2Days: number;
  dunning2FeeCents: number;
  suspendAfterDays: number;
};

export const DUNNING_DEFAULTS: DunningSettingsValues = {
  enabled: true,
  reminderDays: 7,
  dunning1Days: 14,
  dunning2Days: 21,
  dunning2FeeCents: 0,
  suspendAfterDays: 30,
};

export async function loadDunningSettings(db: DbOrTx): Promise<DunningSettingsValues & { updatedAt: Date | null }> {
  const [row] = await db.select().from(dunningSettings);
  if (!row) return { ...DUNNING_DEFAULTS, updatedAt: null };
  return {
    enabled: row.enabled,
    reminderDays: row.reminderDays,
    dunning1Days: row.dunning1Days,
    dunning2Days: row.dunning2Days,
    dunning2FeeCents: row.dunning2FeeCents,
    suspendAfterDays: row.suspendAfterDays,
    updatedAt: row.updatedAt,
  };
}

function present(s: DunningSettingsValues & { updatedAt: Date | null }) {
  return {
    enabled: s.enabled,
    reminder_days: s.reminderDays,
    dunning_1_days: s.dunning1Days,
    dunning_2_days: s.dunning2Days,
    dunning_2_fee: centsToNumber(s.dunning2FeeCents),
    dunning_2_fee_formatted: formatEuro(s.dunning2FeeCents),
    suspend_after_days: s.suspendAfterDays,
    updated_at: apiTimestamp(s.updatedAt),
  };
}

export async function getDunningSettings() {
  return present(await loadDunningSettings(await getDb()));
}

export async function updateDunningSettings(actor: Actor, input: DunningSettingsInput, options?: CommandOptions) {
  const values = {
    enabled: input.enabled,
    reminderDays: input.reminder_days,
    dunning1Days: input.dunning_1_days,
    dunning2Days: input.dunning_2_days,
    dunning2FeeCents: Math.round(input.dunning_2_fee * 100),
    suspendAfterDays: input.suspend_after_days,
    updatedAt: new Date(),
  };
  await inTransaction(options, async (tx) => {
    await tx.insert(dunningSettings).values({ id: 1, ...values }).onConflictDoUpdate({ target: dunningSettings.id, set: values });
    await recordActivity(tx, actor, { instanceId: null, action: "dunning.settings_updated", metadata: { ...input } });
  });
  return present(await loadDunningSettings(options?.tx ?? (await getDb())));
}
