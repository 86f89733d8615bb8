/**
 * Where an instance stands in dunning, for staff: the highest stage any of its overdue invoices
 * reached, and the next step the daily run will take with its date. The next step is computed
 * with the same rules as the run (`dueStage`, the settings' days after the due date): for each
 * overdue invoice the next stage it has not received, or the suspension; the earliest wins. A
 * paused instance or switched-off dunning has no next step (the reason is named).
 */
import { eq, inArray } from "drizzle-orm";
import type { DbOrTx } from "@/db/types";
import { dunningNotices, dunningPauses, instances } from "@/db/schema";
import { billingClock } from "@/lib/billing/clock";
import { formatEuro } from "@/lib/money";
import { addDays, daysBetween, todayIsoDate } from "@/lib/time";
import { openInvoices } from "./invoices";
import { STAGE_TITLES, type DunningStage } from "./letter-data";
import { loadDunningSettings, type DunningSettingsValues } from "./settings";

type Stage = DunningStage | "suspension";
const ORDER: Stage[] = ["reminder", "dunning_1", "dunning_2", "suspension"];
export const STAGE_LABELS: Record<Stage, string> = { ...STAGE_TITLES, suspension: "Sperre" };

function stageDay(settings: DunningSettingsValues, stage: Stage) {
  return stage === "reminder" ? settings.reminderDays : stage === "dunning_1" ? settings.dunning1Days : stage === "dunning_2" ? settings.dunning2Days : settings.suspendAfterDays;
}

export async function dunningOutlook(db: DbOrTx, instanceId: number, today: string = todayIsoDate(billingClock.now())) {
  const settings = await loadDunningSettings(db);
  const open = await openInvoices(db, { instanceId });
  const overdue = open.filter((o) => o.dueDate !== null && o.dueDate < today);
  const sent = overdue.length
    ? await db.select({ invoiceId: dunningNotices.invoiceId, stage: dunningNotices.stage }).from(dunningNotices).where(inArray(dunningNotices.invoiceId, overdue.map((o) => o.id)))
    : [];
  const [pause] = await db.select({ note: dunningPauses.note }).from(dunningPauses).where(eq(dunningPauses.instanceId, instanceId));
  const [instance] = await db.select({ suspended: instances.suspended }).from(instances).where(eq(instances.id, instanceId));

  let current: Stage | null = null;
  let next: { stage: Stage; date: string; invoice_number: string } | null = null;
  const invoicesOut = overdue.map((o) => {
    const reached = sent.filter((s) => s.invoiceId === o.id).map((s) => s.stage as Stage);
    const highest = ORDER.filter((s) => reached.includes(s)).at(-1) ?? null;
    if (highest && (!current || ORDER.indexOf(highest) > ORDER.indexOf(current))) current = highest;
    // The next stage after the highest reached one (the run skips lower ones it missed).
    const after = ORDER.slice(highest ? ORDER.indexOf(highest) + 1 : 0).filter((s) => s !== "suspension" || !instance?.suspended);
    const candidate = after[0];
    if (candidate) {
      const date = addDays(o.dueDate!, stageDay(settings, candidate));
      const when = date < today ? today : date;
      if (!next || when < next.date) next = { stage: candidate, date: when, invoice_number: o.invoiceNumber };
    }
    return {
      invoice_id: o.id,
      invoice_number: o.invoiceNumber,
      due_date: o.dueDate!,
      days_overdue: daysBetween(o.dueDate!, today),
      open_amount_formatted: formatEuro(o.openCents),
      stage: highest,
      stage_label: highest ? STAGE_LABELS[highest] : "Noch keine Mahnung",
    };
  });
  const blocked = !settings.enabled ? "Das Mahnwesen ist ausgeschaltet." : pause ? `Pausiert: ${pause.note}` : null;
  const nextStep = next as { stage: Stage; date: string; invoice_number: string } | null;
  const currentStage = current as Stage | null;
  return {
    current_stage: currentStage,
    current_stage_label: currentStage ? STAGE_LABELS[currentStage] : overdue.length ? "Überfällig, noch keine Mahnung" : "Keine überfälligen Rechnungen",
    next_step:
      nextStep && !blocked
        ? { stage: nextStep.stage, stage_label: STAGE_LABELS[nextStep.stage], date: nextStep.date, invoice_number: nextStep.invoice_number }
        : null,
    next_step_blocked: overdue.length ? blocked : null,
    overdue_invoices: invoicesOut,
  };
}
