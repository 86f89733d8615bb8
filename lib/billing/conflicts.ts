/**
 * Periods already billed outside the ledger: a manual invoice (drafted by staff, or seeded)
 * whose service period overlaps what a run would bill and whose items name the same
 * recurring thing. `billing_periods` only knows what runs billed; without this check a run
 * would bill a month a manual invoice already charged, without a word.
 *
 * Rules
 * - Candidates: invoices of the instance (drafts too — issuing them would bill the month),
 *   kind `invoice`, not cancelled, not created by a run (not linked from `billing_periods`),
 *   whose service period overlaps the plan line's dates.
 * - A plan line is covered when one of the candidate's items names its match text (the tier's
 *   label, e.g. "Standard", or the recurring item's description), case-insensitively.
 * - A conflict is never resolved silently: the preview lists it, and the run bills the
 *   instance only when staff decide (`bill` everything, `bill_uncovered` only the lines no
 *   invoice covers, `skip` = the period counts as billed by the manual invoice). Without a
 *   decision the instance is left out and stays in the preview.
 */
import { and, eq, gte, inArray, isNull, lte, notExists } from "drizzle-orm";
import type { DbOrTx } from "@/db/types";
import { billingPeriods, invoiceItems, invoices } from "@/db/schema";
import { formatRangeDe } from "./period";
import type { PlanLine } from "./plan";

export const CONFLICT_ACTIONS = ["bill", "bill_uncovered", "skip"] as const;
export type ConflictAction = (typeof CONFLICT_ACTIONS)[number];

export type Conflict = {
  invoice_id: number;
  invoice_number: string | null;
  title: string;
  service_period: string;
  /** Descriptions of the run's lines this invoice already covers. */
  covered_lines: string[];
};

type PlanLike = { instanceId: number; billedFrom: string; billedTo: string; lines: PlanLine[] };

/** Per instance: the manual invoices that cover some of its plan's lines (empty map = no conflict). */
export async function findConflicts(db: DbOrTx, plans: PlanLike[]): Promise<Map<number, Conflict[]>> {
  const result = new Map<number, Conflict[]>();
  if (plans.length === 0) return result;
  const from = plans.reduce((min, p) => (p.billedFrom < min ? p.billedFrom : min), plans[0]!.billedFrom);
  const to = plans.reduce((max, p) => (p.billedTo > max ? p.billedTo : max), plans[0]!.billedTo);
  const candidates = await db
    .select({
      id: invoices.id,
      instanceId: invoices.instanceId,
      number: invoices.invoiceNumber,
      title: invoices.title,
      start: invoices.servicePeriodStart,
      end: invoices.servicePeriodEnd,
    })
    .from(invoices)
    .where(
      and(
        inArray(
          invoices.instanceId,
          plans.map((p) => p.instanceId),
        ),
        eq(invoices.kind, "invoice"),
        isNull(invoices.cancelledAt),
        lte(invoices.servicePeriodStart, to),
        gte(invoices.servicePeriodEnd, from),
        notExists(db.select({ one: billingPeriods.instanceId }).from(billingPeriods).where(eq(billingPeriods.invoiceId, invoices.id))),
      ),
    );
  if (candidates.length === 0) return result;
  const items = await db
    .select({ invoiceId: invoiceItems.invoiceId, description: invoiceItems.description })
    .from(invoiceItems)
    .where(
      inArray(
        invoiceItems.invoiceId,
        candidates.map((c) => c.id),
      ),
    );
  for (const plan of plans) {
    const conflicts: Conflict[] = [];
    for (const invoice of candidates.filter((c) => c.instanceId === plan.instanceId)) {
      const texts = items.filter((i) => i.invoiceId === invoice.id).map((i) => i.description.toLowerCase());
      const covered = plan.lines.filter(
        (line) => invoice.start <= line.periodEnd && invoice.end >= line.periodStart && texts.some((t) => t.includes(line.matchText.toLowerCase())),
      );
      if (covered.length > 0) {
        conflicts.push({
          invoice_id: invoice.id,
          invoice_number: invoice.number,
          title: invoice.title,
          service_period: formatRangeDe(invoice.start, invoice.end),
          covered_lines: covered.map((l) => l.description),
        });
      }
    }
    if (conflicts.length > 0) result.set(plan.instanceId, conflicts);
  }
  return result;
}
