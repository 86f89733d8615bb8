/**
 * What an instance owes for one period (calendar month, billed in advance).
 *
 * Rules (issue 13):
 * - Tier line: the tier's monthly price, or the instance's price override
 *   (`billing.monthly_price_cents`). A tier change mid-period (history in
 *   `instance_tier_changes`) splits the month: each tier gets its own pro-rata
 *   line with its dates.
 * - Tier prices change from a date on (`tier_price_changes`, tier-prices.ts):
 *   each day is billed at the price in effect on that day, so a change inside
 *   the period splits it like a tier change (one pro-rata line per price, each
 *   rounded on its own and naming its monthly price). An override ignores them.
 * - Extra items (`billing_plan_items`): quantity × monthly unit price while
 *   starts_on ≤ day ≤ ends_on; partial months pro rata, as their own line.
 * - Trial: nothing is billed up to and including `trial_ends_at`; the first
 *   period after the trial is charged pro rata from the next day. A trial
 *   without an end date is not billed at all.
 * - Cancelled: billing is monthly in advance, so the last period was billed
 *   before the cancellation; a cancelled instance gets no new periods.
 * - Suspended: billed like any other instance unless the setting
 *   `bill_suspended` is off; then periods run while suspended are skipped
 *   for good (reactivation does not bill them afterwards, and the ledger in
 *   `billing_periods` makes sure no period is ever billed twice).
 * Lines with 0 € are left out; a plan without lines produces no invoice.
 */
import { addDays, daysInclusive } from "@/lib/time";
import { asc, eq, inArray } from "drizzle-orm";
import type { DbOrTx } from "@/db/types";
import { billing, billingPlanItems, instances, instanceTierChanges, pricingTiers } from "@/db/schema";
import { lineNetCents } from "@/lib/invoices/calc";
import { formatEuro } from "@/lib/money";
import { formatRangeDe, maxDate, minDate, type BillingPeriod } from "./period";
import { proRataCents } from "./pro-rata";
import { loadTierPriceChanges, priceOn, type TierPriceChange } from "./tier-prices";

export type BillingSettingsValues = { billingDay: number; billSuspended: boolean; autoIssue: boolean; tierVatRate: number };

export type PlanLine = {
  description: string;
  /** thousandths */
  quantityMilli: number;
  unit: string;
  unitPriceCents: number;
  /** basis points */
  vatRate: number;
  netCents: number;
  periodStart: string;
  periodEnd: string;
};

export type PlanInput = {
  instanceId: number;
  suspended: boolean;
  tierKey: string;
  billingStatus: "trial" | "active" | "past_due" | "cancelled" | null;
  trialEndsAt: string | null;
  priceOverrideCents: number | null;
  /** Per tier: label, base price and its scheduled price changes (none = the base price on every day). */
  tiers: Map<string, { label: string; monthlyPriceCents: number; priceChanges?: TierPriceChange[] }>;
  tierChanges: { tierKey: string; effectiveFrom: string }[];
  items: { description: string; quantityMilli: number; unit: string; unitPriceCents: number; vatRate: number; startsOn: string; endsOn: string | null }[];
};

export type InstancePlan = { instanceId: number; billedFrom: string; billedTo: string; lines: PlanLine[]; netCents: number } | null;

/** First billable day in the period, or null when the instance is not billed for it. */
export function billableStart(input: PlanInput, period: BillingPeriod, settings: Pick<BillingSettingsValues, "billSuspended">): string | null {
  if (input.billingStatus === null || input.billingStatus === "cancelled") return null;
  if (input.suspended && !settings.billSuspended) return null;
  let start = period.start;
  if (input.trialEndsAt) start = maxDate(start, addDays(input.trialEndsAt, 1));
  else if (input.billingStatus === "trial") return null;
  return start <= period.end ? start : null;
}

/** The tier on `day`: the latest change on or before it, else the instance's tier. */
export function tierOn(input: Pick<PlanInput, "tierKey" | "tierChanges">, day: string): string {
  let key = input.tierKey;
  let best = "";
  for (const change of input.tierChanges) {
    if (change.effectiveFrom <= day && change.effectiveFrom >= best) {
      best = change.effectiveFrom;
      key = change.tierKey;
    }
  }
  return key;
}

/** The monthly tier price the instance pays on `day`: its override, else the price of its tier on that day. */
export function tierPriceOn(input: Pick<PlanInput, "tiers" | "priceOverrideCents">, tierKey: string, day: string): number {
  if (input.priceOverrideCents !== null) return input.priceOverrideCents;
  const tier = input.tiers.get(tierKey);
  return tier ? priceOn(tier.monthlyPriceCents, tier.priceChanges ?? [], day) : 0;
}

/** Consecutive runs of days on the same tier at the same price within [from, to]. */
function tierSegments(input: PlanInput, from: string, to: string) {
  const priceDays = input.priceOverrideCents === null ? [...input.tiers.values()].flatMap((t) => (t.priceChanges ?? []).map((c) => c.effectiveFrom)) : [];
  const boundaries = [...input.tierChanges.map((c) => c.effectiveFrom), ...priceDays].filter((d) => d > from && d <= to).sort();
  const segments: { tierKey: string; priceCents: number; from: string; to: string }[] = [];
  let cursor = from;
  for (const boundary of [...new Set(boundaries), addDays(to, 1)]) {
    const tierKey = tierOn(input, cursor);
    const priceCents = tierPriceOn(input, tierKey, cursor);
    const last = segments[segments.length - 1];
    const segTo = addDays(boundary, -1);
    if (last && last.tierKey === tierKey && last.priceCents === priceCents) last.to = segTo;
    else segments.push({ tierKey, priceCents, from: cursor, to: segTo });
    cursor = boundary;
  }
  return segments;
}

function line(period: BillingPeriod, from: string, to: string, description: string, quantityMilli: number, unit: string, unitPriceCents: number, vatRate: number): PlanLine | null {
  const days = daysInclusive(from, to);
  const full = days === period.days;
  if (full) {
    const netCents = lineNetCents(quantityMilli, unitPriceCents);
    if (netCents === 0) return null;
    return { description: `${description} (${period.label})`, quantityMilli, unit, unitPriceCents, vatRate, netCents, periodStart: from, periodEnd: to };
  }
  const netCents = proRataCents(lineNetCents(quantityMilli, unitPriceCents), days, period.days);
  if (netCents === 0) return null;
  const qty = quantityMilli === 1000 ? "" : `${quantityMilli / 1000} × `;
  return {
    description: `${qty}${description} anteilig ${formatRangeDe(from, to)} (${days} von ${period.days} Tagen)`,
    quantityMilli: 1000,
    unit: "Pauschale",
    unitPriceCents: netCents,
    vatRate,
    netCents,
    periodStart: from,
    periodEnd: to,
  };
}

export function computePlan(input: PlanInput, period: BillingPeriod, settings: Pick<BillingSettingsValues, "billSuspended" | "tierVatRate">): InstancePlan {
  const start = billableStart(input, period, settings);
  if (!start) return null;
  const lines: PlanLine[] = [];
  const segments = tierSegments(input, start, period.end);
  for (const segment of segments) {
    const tier = input.tiers.get(segment.tierKey);
    // Two prices of one tier in the period: each line says which monthly price it prorates.
    const repriced = segments.some((s) => s.tierKey === segment.tierKey && s.priceCents !== segment.priceCents);
    const description = `Tarif ${tier?.label ?? segment.tierKey}${repriced ? ` (${formatEuro(segment.priceCents)}/Monat)` : ""}`;
    const l = line(period, segment.from, segment.to, description, 1000, "Monat", segment.priceCents, settings.tierVatRate);
    if (l) lines.push(l);
  }
  for (const item of input.items) {
    const from = maxDate(start, item.startsOn);
    const to = item.endsOn ? minDate(period.end, item.endsOn) : period.end;
    if (from > to) continue;
    const l = line(period, from, to, item.description, item.quantityMilli, item.unit, item.unitPriceCents, item.vatRate);
    if (l) lines.push(l);
  }
  if (lines.length === 0) return null;
  return { instanceId: input.instanceId, billedFrom: start, billedTo: period.end, lines, netCents: lines.reduce((sum, l) => sum + l.netCents, 0) };
}

/** Loads the plan inputs of all instances (or the given ones). */
export async function loadPlanInputs(db: DbOrTx, instanceIds?: number[]): Promise<PlanInput[]> {
  const instanceRows = await db
    .select({ id: instances.id, suspended: instances.suspended, tierKey: instances.pricingTier, bill: billing })
    .from(instances)
    .leftJoin(billing, eq(billing.instanceId, instances.id))
    .where(instanceIds ? inArray(instances.id, instanceIds) : undefined)
    .orderBy(asc(instances.id));
  const ids = instanceRows.map((r) => r.id);
  if (ids.length === 0) return [];
  const tierRows = await db.select().from(pricingTiers);
  const priceChanges = await loadTierPriceChanges(db);
  const tiers = new Map(tierRows.map((t) => [t.key, { label: t.label, monthlyPriceCents: t.monthlyPriceCents, priceChanges: priceChanges.get(t.key) ?? [] }]));
  const itemRows = await db.select().from(billingPlanItems).where(inArray(billingPlanItems.instanceId, ids)).orderBy(asc(billingPlanItems.id));
  const changeRows = await db.select().from(instanceTierChanges).where(inArray(instanceTierChanges.instanceId, ids));
  return instanceRows.map((row) => ({
    instanceId: row.id,
    suspended: row.suspended,
    tierKey: row.tierKey,
    billingStatus: row.bill?.status ?? null,
    trialEndsAt: row.bill?.trialEndsAt ?? null,
    priceOverrideCents: row.bill?.monthlyPriceCents ?? null,
    tiers,
    tierChanges: changeRows.filter((c) => c.instanceId === row.id).map((c) => ({ tierKey: c.tierKey, effectiveFrom: c.effectiveFrom })),
    items: itemRows
      .filter((i) => i.instanceId === row.id)
      .map((i) => ({ description: i.description, quantityMilli: i.quantityMilli, unit: i.unit, unitPriceCents: i.unitPriceCents, vatRate: i.vatRate, startsOn: i.startsOn, endsOn: i.endsOn })),
  }));
}

/**
 * Records a tier change for pro-rata billing; call it in the transaction that
 * changes `instances.pricing_tier`. The first change also records the tier the
 * instance had before, so days before the change keep their old price.
 */
export async function recordTierChange(tx: DbOrTx, instanceId: number, fromTier: string, toTier: string, effectiveFrom: string) {
  const [existing] = await tx.select({ id: instanceTierChanges.id }).from(instanceTierChanges).where(eq(instanceTierChanges.instanceId, instanceId)).limit(1);
  if (!existing) await tx.insert(instanceTierChanges).values({ instanceId, tierKey: fromTier, effectiveFrom: "1970-01-01" });
  await tx
    .insert(instanceTierChanges)
    .values({ instanceId, tierKey: toTier, effectiveFrom })
    .onConflictDoUpdate({ target: [instanceTierChanges.instanceId, instanceTierChanges.effectiveFrom], set: { tierKey: toTier } });
}
