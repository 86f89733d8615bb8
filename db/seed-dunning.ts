/**
 * Demo customers in every dunning stage (seed option `dunningStages`: the demo, `npm run seed` and
 * the browser tests' stack; vitest seeds leave it off, so their counts stay as they are).
 *
 * Each customer has one overdue licence invoice whose age on the seed's clock puts it exactly in
 * its stage under the dunning settings (reminder, 1st, 2nd dunning, suspension). The history is
 * written as the daily run would have written it on each stage's day: one `dunning_notices` row per
 * stage reached (the ledger the run, the outlook and "jetzt mahnen" read) and the activity entry of
 * the system actor "Mahnwesen". The suspended customer's suspension is dunning's own
 * (`dunning_suspensions`), so a payment lifts it and mails the customer — the path the suspension
 * page explains. Everything is relative to `today` and idempotent.
 */
import { and, eq, inArray, isNotNull } from "drizzle-orm";
import type { Db } from "./client";
import { activityLog, billing, dunningNotices, dunningSuspensions, instances, invoices } from "./schema";
import { actorColumns, systemActor } from "@/lib/activity/actor";
import { openInvoices } from "@/lib/dunning/invoices";
import { STAGE_TITLES } from "@/lib/dunning/letter-data";
import { suspensionReason } from "@/lib/dunning/run";
import { DUNNING_DEFAULTS, loadDunningSettings, type DunningSettingsValues } from "@/lib/dunning/settings";
import { formatEuro } from "@/lib/money";
import { addDays } from "@/lib/time";

export type SeededStage = "reminder" | "dunning_1" | "dunning_2" | "suspension";
const ORDER: SeededStage[] = ["reminder", "dunning_1", "dunning_2", "suspension"];

/** The demo customers by stage; `user` logs in with the demo password. */
export const DUNNING_STAGE_CUSTOMERS: { name: string; companyName: string; tier: "starter" | "standard"; stage: SeededStage; user: { email: string; name: string } }[] = [
  { name: "falkenstein", companyName: "Falkenstein Steuerberatung", tier: "standard", stage: "reminder", user: { email: "kanzlei@falkenstein-stb.de", name: "Miriam Falkenstein" } },
  { name: "hafenblick", companyName: "Hafenblick Immobilien GmbH", tier: "starter", stage: "dunning_1", user: { email: "verwaltung@hafenblick-immobilien.de", name: "Ole Hansen" } },
  { name: "weidenhof", companyName: "Weidenhof Landtechnik KG", tier: "starter", stage: "dunning_2", user: { email: "buero@weidenhof-landtechnik.de", name: "Karin Weidner" } },
  { name: "sonnental", companyName: "Sonnental Reisen GmbH", tier: "standard", stage: "suspension", user: { email: "buchhaltung@sonnental-reisen.de", name: "Lea Sommer" } },
];

function stageDays(settings: DunningSettingsValues, stage: SeededStage) {
  return stage === "reminder" ? settings.reminderDays : stage === "dunning_1" ? settings.dunning1Days : stage === "dunning_2" ? settings.dunning2Days : settings.suspendAfterDays;
}

/** Days overdue on `today`: two days into the stage, before the next one (with the default settings). */
export function seededDaysOverdue(stage: SeededStage, settings: DunningSettingsValues = DUNNING_DEFAULTS) {
  return stageDays(settings, stage) + 2;
}

/** The invoice date of the stage's overdue licence (due 14 days later). */
export function seededInvoiceDate(stage: SeededStage, today: string, settings: DunningSettingsValues = DUNNING_DEFAULTS) {
  return addDays(today, -(seededDaysOverdue(stage, settings) + 14));
}

/** Writes the dunning history of the stage customers (after their invoices are seeded). */
export async function seedDunningHistory(db: Db, today: string) {
  const settings = await loadDunningSettings(db);
  const dunning = actorColumns(systemActor("dunning"));
  const rows = await db.select().from(instances).where(inArray(instances.name, DUNNING_STAGE_CUSTOMERS.map((c) => c.name)));
  for (const customer of DUNNING_STAGE_CUSTOMERS) {
    const instance = rows.find((r) => r.name === customer.name);
    if (!instance) continue;
    const [existing] = await db.select({ stage: dunningNotices.stage }).from(dunningNotices).where(eq(dunningNotices.instanceId, instance.id)).limit(1);
    if (existing) continue; // written before: idempotent
    const open = (await openInvoices(db, { instanceId: instance.id })).filter((o) => o.dueDate !== null && o.dueDate < today);
    if (open.length === 0) continue;
    const reached = ORDER.slice(0, ORDER.indexOf(customer.stage) + 1);
    const activity: (typeof activityLog.$inferInsert)[] = [];
    await db.transaction(async (tx) => {
      for (const invoice of open) {
        for (const stage of reached) {
          const day = addDays(invoice.dueDate!, stageDays(settings, stage));
          const feeCents = stage === "dunning_2" ? settings.dunning2FeeCents : 0;
          await tx
            .insert(dunningNotices)
            .values({ invoiceId: invoice.id, stage, instanceId: instance.id, noticeDate: day, feeCents, openCents: invoice.openCents, mailCount: 1, createdAt: new Date(`${day}T06:30:00Z`) })
            .onConflictDoNothing();
          if (stage === "suspension") continue;
          activity.push({
            instanceId: instance.id,
            ...dunning,
            action: `dunning.${stage}_sent`,
            level: "warning",
            description: `${STAGE_TITLES[stage]} zu Rechnung ${invoice.invoiceNumber} versendet (offen: ${formatEuro(invoice.openCents)}${feeCents > 0 ? `, Mahngebühr ${formatEuro(feeCents)}` : ""})`,
            metadata: { invoice_id: invoice.id, invoice_number: invoice.invoiceNumber, stage, fee_cents: feeCents, recipients: [customer.user.email], seeded: true },
            createdAt: new Date(`${day}T06:30:00Z`),
          });
        }
      }
      if (customer.stage === "suspension") {
        const day = addDays(open[0]!.dueDate!, settings.suspendAfterDays);
        const suspendedAt = new Date(`${day}T06:30:00Z`);
        const reason = suspensionReason(settings.suspendAfterDays);
        await tx.update(instances).set({ suspended: true, suspendedReason: reason, suspendedAt }).where(eq(instances.id, instance.id));
        await tx.insert(dunningSuspensions).values({ instanceId: instance.id, suspendedAt }).onConflictDoNothing();
        await tx.update(billing).set({ status: "past_due" }).where(eq(billing.instanceId, instance.id));
        activity.push({ instanceId: instance.id, ...dunning, action: "instance.suspended", level: "warning", description: `Instanz gesperrt. Grund: ${reason}`, createdAt: suspendedAt });
      }
      // Seed data, like the other demo history: written directly, on the days the run would have written it.
      await tx.insert(activityLog).values(activity);
    });
  }
}

/** For tests: the seeded stage customers' open, issued invoices. */
export async function stageCustomerInvoices(db: Db, name: string) {
  const [instance] = await db.select({ id: instances.id }).from(instances).where(eq(instances.name, name));
  if (!instance) return [];
  return db.select().from(invoices).where(and(eq(invoices.instanceId, instance.id), isNotNull(invoices.issuedAt)));
}
