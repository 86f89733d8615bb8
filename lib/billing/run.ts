/**
 * Billing runs: one invoice per instance and period, exactly once.
 *
 * For each instance with something to bill, one transaction
 *   1. claims the period: INSERT INTO billing_periods … ON CONFLICT DO NOTHING
 *      (primary key instance_id + period_start),
 *   2. writes the invoice draft and links it to the claim,
 *   3. records the activity entry.
 * A repeated run finds the claim and skips the instance; a concurrent run on
 * another worker blocks on the same key until the first commits, then skips;
 * a crash rolls back claim and draft together, so the next run bills it.
 * With `auto_issue` the run then issues every still unissued draft of the
 * period (also those a crashed run left behind); a draft that another worker
 * issued meanwhile is skipped. Issuing is sequential, so numbers stay gapless.
 *
 * Never billed twice: besides the ledger, an instance whose period a manual invoice already
 * covers (conflicts.ts) is billed only on staff's decision (`decisions` by instance id);
 * without one it is left out, counted in `conflict_count` and stays in the preview. `skip`
 * claims the period without an invoice, so it counts as billed by the manual invoice.
 *
 * Amounts: tier prices and plan items are net prices. VAT follows the recipient's billing
 * profile (German VAT only for domestic customers; reverse charge, tax-exempt and non-EU
 * customers get 0 %), and the preview shows net, VAT and gross of every invoice.
 */
import { and, eq, inArray, isNotNull, isNull, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import type { DbOrTx } from "@/db/types";
import { billingPeriods, billingRuns, instanceBillingProfiles, instances, invoices, type VatTreatment } from "@/db/schema";
import { summarizeLines } from "@/lib/invoices/calc";
import { recordActivity, type Actor } from "@/lib/activity";
import { ConflictError, DomainError } from "@/lib/errors";
import { formatEuro } from "@/lib/money";
import { apiTimestamp } from "@/lib/time";
import { billingToday } from "./clock";
import { findConflicts, type Conflict, type ConflictAction } from "./conflicts";
import { vatRateUnder } from "@/lib/invoices/billing-profile";
import { insertRecurringDraft, issueRecurringInvoice } from "./invoicing";
import { billingPeriod, formatRangeDe, type BillingPeriod } from "./period";
import { computePlan, loadPlanInputs, type InstancePlan } from "./plan";
import { loadSettings } from "./settings";

type Plan = NonNullable<InstancePlan>;

function summaryLabel(period: BillingPeriod, count: number, netCents: number) {
  return `Rechnungslauf ${period.label}: ${count} ${count === 1 ? "Rechnung" : "Rechnungen"}, ${formatEuro(netCents)} netto`;
}

async function pendingPlans(period: BillingPeriod) {
  const db = await getDb();
  const settings = await loadSettings(db);
  const inputs = await loadPlanInputs(db);
  const claimed = await db.select({ instanceId: billingPeriods.instanceId }).from(billingPeriods).where(eq(billingPeriods.periodStart, period.start));
  const done = new Set(claimed.map((c) => c.instanceId));
  const plans = inputs
    .map((input) => computePlan(input, period, settings))
    .filter((p): p is Plan => p !== null)
    .filter((p) => !done.has(p.instanceId));
  const conflicts = await findConflicts(db, plans);
  return { settings, plans, conflicts, alreadyBilled: done.size };
}

async function treatments(db: DbOrTx, instanceIds: number[]) {
  if (instanceIds.length === 0) return new Map<number, VatTreatment>();
  const rows = await db
    .select({ id: instanceBillingProfiles.instanceId, treatment: instanceBillingProfiles.vatTreatment })
    .from(instanceBillingProfiles)
    .where(inArray(instanceBillingProfiles.instanceId, instanceIds));
  return new Map(rows.map((r) => [r.id, r.treatment]));
}

/** Net, VAT and gross of a plan under the customer's VAT treatment (what the draft will say). */
function planTotals(plan: Pick<Plan, "lines">, treatment: VatTreatment | undefined) {
  return summarizeLines(
    plan.lines.map((l, i) => ({
      position: i + 1,
      description: l.description,
      quantity_milli: l.quantityMilli,
      unit: l.unit,
      unit_price_cents: l.unitPriceCents,
      vat_rate: vatRateUnder(treatment, l.vatRate),
      net_cents: l.netCents,
    })),
  ).totals;
}

/** What a run for `periodKey` ("2026-11") would create now; conflicting instances only on staff's decision. */
export async function previewBillingRun(periodKey: string) {
  const period = billingPeriod(periodKey);
  const { settings, plans, conflicts, alreadyBilled } = await pendingPlans(period);
  const db = await getDb();
  const names = new Map((await db.select({ id: instances.id, name: instances.name, companyName: instances.companyName }).from(instances)).map((r) => [r.id, r]));
  const vat = await treatments(db, plans.map((p) => p.instanceId));
  const clear = plans.filter((p) => !conflicts.has(p.instanceId));
  const net = clear.reduce((sum, p) => sum + p.netCents, 0);
  const gross = clear.reduce((sum, p) => sum + planTotals(p, vat.get(p.instanceId)).gross_cents, 0);
  return {
    period: period.key,
    period_label: period.label,
    service_period: formatRangeDe(period.start, period.end),
    invoice_count: clear.length,
    net_total_cents: net,
    net_total_label: formatEuro(net),
    gross_total_cents: gross,
    gross_total_label: formatEuro(gross),
    already_billed_count: alreadyBilled,
    conflict_count: conflicts.size,
    auto_issue: settings.autoIssue,
    summary_label: summaryLabel(period, clear.length, net),
    invoices: plans.map((p) => {
      const totals = planTotals(p, vat.get(p.instanceId));
      const own: Conflict[] = conflicts.get(p.instanceId) ?? [];
      return {
        instance_id: p.instanceId,
        instance_name: names.get(p.instanceId)?.name ?? null,
        company_name: names.get(p.instanceId)?.companyName ?? null,
        net_cents: totals.net_cents,
        net_label: formatEuro(totals.net_cents),
        vat_cents: totals.vat_cents,
        vat_label: formatEuro(totals.vat_cents),
        gross_cents: totals.gross_cents,
        gross_label: formatEuro(totals.gross_cents),
        lines: p.lines.map((l) => ({ description: l.description, net_cents: l.netCents, net_label: formatEuro(l.netCents) })),
        conflicts: own,
      };
    }),
  };
}
export type BillingPreview = Awaited<ReturnType<typeof previewBillingRun>>;

/**
 * Bills `input.period` for every instance not yet billed for it; safe to repeat and to run concurrently.
 * It takes no `options.tx`: a run is many transactions on purpose (one per instance, one per issued
 * invoice, the run row before and after), so a failure keeps what was billed and a repeat resumes.
 */
export async function executeBillingRun(actor: Actor, input: { period: string; decisions?: Record<number, ConflictAction> }) {
  const period = billingPeriod(input.period);
  const decisions = input.decisions ?? {};
  const db = await getDb();
  const actorName = actor.kind === "user" ? actor.principal.name : actor.kind === "system" ? actor.name : "Unbekannt";
  const run = await db.transaction(async (tx) => {
    const [run] = await tx.insert(billingRuns).values({ periodStart: period.start, periodEnd: period.end, actorName }).returning();
    await recordActivity(tx, actor, { instanceId: null, action: "billing.run_started", description: `Rechnungslauf ${period.label} gestartet`, metadata: { run_id: run!.id, period: period.key } });
    return run!;
  });

  try {
    const { settings, plans, conflicts } = await pendingPlans(period);
    let created = 0;
    let netCents = 0;
    let conflictCount = 0;
    for (const planned of plans) {
      const own = conflicts.get(planned.instanceId);
      let plan: Plan | null = planned;
      if (own) {
        const decision = decisions[planned.instanceId];
        if (!decision) {
          conflictCount += 1;
          continue;
        }
        const covered = new Set(own.flatMap((c) => c.covered_lines));
        if (decision === "skip") plan = null;
        if (decision === "bill_uncovered") {
          const lines = planned.lines.filter((l) => !covered.has(l.description));
          plan = lines.length > 0 ? { ...planned, lines, netCents: lines.reduce((sum, l) => sum + l.netCents, 0) } : null;
        }
        if (!plan) {
          await skipCovered(planned, period, run.id, actor, own);
          continue;
        }
      }
      const result = await billInstance(plan, period, run.id, actor);
      if (result) {
        created += 1;
        netCents += result.netCents;
      }
    }
    const issue = settings.autoIssue ? await issuePending(period, actor) : { issued: 0, failed: 0 };
    const finished = await db.transaction(async (tx) => {
      const [row] = await tx
        .update(billingRuns)
        .set({ status: "finished", invoiceCount: created, netCents, finishedAt: new Date() })
        .where(eq(billingRuns.id, run.id))
        .returning();
      await recordActivity(tx, actor, {
        instanceId: null,
        action: "billing.run_finished",
        description: summaryLabel(period, created, netCents),
        metadata: { run_id: run.id, period: period.key, invoice_count: created, net_cents: netCents, issued: issue.issued, issue_failed: issue.failed, conflicts_open: conflictCount },
      });
      return row!;
    });
    return {
      run_id: finished.id,
      period: period.key,
      period_label: period.label,
      invoice_count: created,
      net_total_cents: netCents,
      net_total_label: formatEuro(netCents),
      issued_count: issue.issued,
      issue_failed_count: issue.failed,
      conflict_count: conflictCount,
      summary_label: summaryLabel(period, created, netCents),
      started_at: apiTimestamp(finished.startedAt),
      finished_at: apiTimestamp(finished.finishedAt),
    };
  } catch (error) {
    await db.transaction(async (tx) => {
      await tx.update(billingRuns).set({ status: "failed", finishedAt: new Date() }).where(eq(billingRuns.id, run.id));
      await recordActivity(tx, actor, { instanceId: null, action: "billing.run_failed", description: `Rechnungslauf ${period.label} fehlgeschlagen`, metadata: { run_id: run.id, period: period.key } });
    });
    throw error;
  }
}
export type BillingRunResult = Awaited<ReturnType<typeof executeBillingRun>>;

/** Staff decided the manual invoice bills the period: claim it without an invoice. */
async function skipCovered(plan: Plan, period: BillingPeriod, runId: number, actor: Actor, conflicts: Conflict[]) {
  const db = await getDb();
  await db.transaction(async (tx) => {
    const claimed = await tx
      .insert(billingPeriods)
      .values({ instanceId: plan.instanceId, periodStart: period.start, periodEnd: period.end, runId })
      .onConflictDoNothing()
      .returning({ instanceId: billingPeriods.instanceId });
    if (claimed.length === 0) return;
    const numbers = conflicts.map((c) => c.invoice_number ?? `Entwurf ${c.invoice_id}`).join(", ");
    await recordActivity(tx, actor, {
      instanceId: plan.instanceId,
      action: "billing.conflict_skipped",
      description: `${period.label} nicht erneut abgerechnet: bereits berechnet mit ${numbers}`,
      metadata: { period: period.key, run_id: runId, invoice_ids: conflicts.map((c) => c.invoice_id) },
    });
  });
}

/** Claim + draft in one transaction; null when the period was already claimed. */
async function billInstance(plan: Plan, period: BillingPeriod, runId: number, actor: Actor) {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const claimed = await tx
      .insert(billingPeriods)
      .values({ instanceId: plan.instanceId, periodStart: period.start, periodEnd: period.end, runId })
      .onConflictDoNothing()
      .returning({ instanceId: billingPeriods.instanceId });
    if (claimed.length === 0) return null;
    const draft = await insertRecurringDraft(tx, { instanceId: plan.instanceId, title: `Abrechnung ${period.label}`, periodStart: plan.billedFrom, periodEnd: plan.billedTo, lines: plan.lines }, actor);
    await tx
      .update(billingPeriods)
      .set({ invoiceId: draft.id })
      .where(and(eq(billingPeriods.instanceId, plan.instanceId), eq(billingPeriods.periodStart, period.start)));
    await recordActivity(tx, actor, {
      instanceId: null,
      action: "billing.invoice_created",
      description: `Rechnungsentwurf „Abrechnung ${period.label}“ über ${formatEuro(draft.netCents)} netto erstellt`,
      metadata: { invoice_id: draft.id, instance_id: plan.instanceId, period: period.key, run_id: runId },
    });
    return draft;
  });
}

/** Issues the period's unissued drafts created by billing runs, oldest first. */
async function issuePending(period: BillingPeriod, actor: Actor) {
  const db = await getDb();
  const pending = await db
    .select({ id: invoices.id, instanceId: invoices.instanceId })
    .from(billingPeriods)
    .innerJoin(invoices, eq(invoices.id, billingPeriods.invoiceId))
    .where(and(eq(billingPeriods.periodStart, period.start), isNotNull(billingPeriods.invoiceId), isNull(invoices.issuedAt)))
    .orderBy(sql`${invoices.id}`);
  const invoiceDate = billingToday();
  let issued = 0;
  let failed = 0;
  for (const draft of pending) {
    try {
      await issueRecurringInvoice(actor, { invoiceId: draft.id, invoiceDate });
      issued += 1;
    } catch (error) {
      if (error instanceof ConflictError) continue; // issued by a concurrent run
      if (!(error instanceof DomainError)) throw error;
      failed += 1;
      await recordActivity(db, actor, {
        instanceId: null,
        action: "billing.issue_failed",
        description: `Rechnungsentwurf ${draft.id} nicht ausgestellt: ${error.message}`,
        metadata: { invoice_id: draft.id, instance_id: draft.instanceId, period: period.key },
      });
    }
  }
  return { issued, failed };
}
