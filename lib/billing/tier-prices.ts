/**
 * Scheduled tier prices (issue 14, "Tarifpreise").
 *
 * A tier's price changes from a date on, never retroactively:
 * `tier_price_changes` holds (tier, effective_from, price); the price on a day
 * is the latest change with effective_from <= day, else the tier's base price
 * (`pricing_tiers.monthly_price_cents`). Billing (plan.ts) splits a period at
 * each change, so the days before it keep the old price, pro rata to the cent.
 *
 * - Default date: the first day of the next billing period (calendar month),
 *   so a running period keeps one price. Staff may pick another day, but not
 *   one in the past (Berlin calendar day on the billing clock); a day already
 *   billed in advance keeps its invoice (the impact says how many).
 * - One change per tier and day (primary key → 409). A change can be cancelled
 *   while its date is still in the future; once in effect it is history.
 * - Affected instances: on the tier, billed (a billing row that is not
 *   cancelled) and without an individual price (`billing.monthly_price_cents`
 *   overrides every tier price). "Kunden" are the MSP's customers, i.e. the
 *   companies owning instances: distinct `instances.company_name`
 *   (case-insensitive) of the affected instances; there is no separate
 *   organisation table and invoices go to that company.
 * - Activity: one staff-level entry (no instance) per scheduling or
 *   cancellation, plus one entry in the log of every affected instance with
 *   the amount and the date, in the same transaction.
 */
import { and, asc, eq, inArray, isNull, ne, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { inTransaction, type CommandOptions } from "@/db/transaction";
import type { DbOrTx } from "@/db/types";
import { billing, billingPeriods, instances, pricingTiers, tierPriceChanges } from "@/db/schema";
import { actorUserId, recordActivity, type Actor } from "@/lib/activity";
import { ConflictError, NotFoundError, ValidationError } from "@/lib/errors";
import { formatEuro } from "@/lib/money";
import { apiTimestamp, formatDateDe } from "@/lib/time";
import { billingToday } from "./clock";
import { nextPeriod, periodOf } from "./period";
import { isIsoDay, type ScheduleTierPriceInput } from "./tier-price-schemas";

export type TierPriceChange = { effectiveFrom: string; monthlyPriceCents: number };

/** How far ahead a change may be scheduled (typo guard: 2206 instead of 2026). */
const MAX_YEARS_AHEAD = 5;

const TIER_NOT_FOUND = "Tarif nicht gefunden.";
const CHANGE_NOT_FOUND = "Diese Preisänderung gibt es nicht.";

/** The price on `day`: the latest change on or before it, else the base price. */
export function priceOn(baseCents: number, changes: readonly TierPriceChange[], day: string): number {
  let price = baseCents;
  let best = "";
  for (const change of changes) {
    if (change.effectiveFrom <= day && change.effectiveFrom >= best) {
      best = change.effectiveFrom;
      price = change.monthlyPriceCents;
    }
  }
  return price;
}

/** The first day of the billing period after the one containing `today`. */
export function defaultEffectiveFrom(today = billingToday()): string {
  return nextPeriod(periodOf(today)).start;
}

/** Changes after `today`, earliest first. */
export function upcomingChanges(changes: readonly TierPriceChange[], today: string): TierPriceChange[] {
  return changes.filter((c) => c.effectiveFrom > today).sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom));
}

/** "ab 01.12.2026: 39,00 €" */
export function upcomingLabel(change: TierPriceChange): string {
  return `ab ${formatDateDe(change.effectiveFrom)}: ${formatEuro(change.monthlyPriceCents)}`;
}

export function presentPriceChange(change: TierPriceChange) {
  return {
    effective_from: change.effectiveFrom,
    effective_from_label: formatDateDe(change.effectiveFrom),
    monthly_price: change.monthlyPriceCents / 100,
    monthly_price_cents: change.monthlyPriceCents,
    monthly_price_label: formatEuro(change.monthlyPriceCents),
    label: upcomingLabel(change),
  };
}

/** All price changes, per tier, earliest first. */
export async function loadTierPriceChanges(db: DbOrTx, tierKeys?: string[]): Promise<Map<string, TierPriceChange[]>> {
  const rows = await db
    .select({ tierKey: tierPriceChanges.tierKey, effectiveFrom: tierPriceChanges.effectiveFrom, monthlyPriceCents: tierPriceChanges.monthlyPriceCents })
    .from(tierPriceChanges)
    .where(tierKeys ? inArray(tierPriceChanges.tierKey, tierKeys) : undefined)
    .orderBy(asc(tierPriceChanges.tierKey), asc(tierPriceChanges.effectiveFrom));
  const byTier = new Map<string, TierPriceChange[]>();
  for (const row of rows) {
    const list = byTier.get(row.tierKey) ?? [];
    list.push({ effectiveFrom: row.effectiveFrom, monthlyPriceCents: row.monthlyPriceCents });
    byTier.set(row.tierKey, list);
  }
  return byTier;
}

/**
 * What an instance pays for its tier on `today` and what is scheduled next
 * (`/status`, staff instance view). An individual price overrides the tier
 * price and its changes, so then nothing is upcoming.
 */
export function instanceTierPriceOn(baseCents: number, changes: readonly TierPriceChange[], overrideCents: number | null | undefined, today: string) {
  if (overrideCents !== null && overrideCents !== undefined) return { currentCents: overrideCents, upcoming: null };
  return { currentCents: priceOn(baseCents, changes, today), upcoming: upcomingChanges(changes, today)[0] ?? null };
}

/** `instanceTierPriceOn` for today, loading the tier's changes. */
export async function instanceTierPrice(db: DbOrTx, tier: { key: string; monthlyPriceCents: number }, overrideCents: number | null | undefined) {
  const changes = (await loadTierPriceChanges(db, [tier.key])).get(tier.key) ?? [];
  return instanceTierPriceOn(tier.monthlyPriceCents, changes, overrideCents, billingToday());
}

function checkEffectiveFrom(day: string, today: string) {
  if (!isIsoDay(day)) throw new ValidationError({ effective_from: ["Das Datum muss im Format JJJJ-MM-TT angegeben werden (z. B. 2026-12-01)."] });
  if (day < today) throw new ValidationError({ effective_from: [`Das Datum darf nicht in der Vergangenheit liegen (frühestens ${formatDateDe(today)}).`] });
  const latest = `${Number(today.slice(0, 4)) + MAX_YEARS_AHEAD}${today.slice(4)}`;
  if (day > latest) throw new ValidationError({ effective_from: [`Das Datum darf höchstens ${MAX_YEARS_AHEAD} Jahre in der Zukunft liegen (spätestens ${formatDateDe(latest)}).`] });
}

function plural(n: number, one: string, many: string) {
  return `${n} ${n === 1 ? one : many}`;
}

/** Instances whose bills follow the tier's price (see the file head), with their company. */
async function affectedInstances(db: DbOrTx, tierKey: string) {
  return db
    .select({ id: instances.id, companyName: instances.companyName })
    .from(instances)
    .innerJoin(billing, eq(billing.instanceId, instances.id))
    .where(and(eq(instances.pricingTier, tierKey), ne(billing.status, "cancelled"), isNull(billing.monthlyPriceCents)))
    .orderBy(asc(instances.id));
}

type TierRow = typeof pricingTiers.$inferSelect;

async function computeImpact(db: DbOrTx, tier: TierRow, effectiveFrom: string, previousCents: number, newCents: number) {
  const affected = await affectedInstances(db, tier.key);
  const [onTier] = await db
    .select({
      total: sql<number>`count(*)`.mapWith(Number),
      overridden: sql<number>`count(*) filter (where ${billing.monthlyPriceCents} is not null and ${billing.status} <> 'cancelled')`.mapWith(Number),
    })
    .from(instances)
    .leftJoin(billing, eq(billing.instanceId, instances.id))
    .where(eq(instances.pricingTier, tier.key));
  const customers = new Set(affected.map((a) => a.companyName.trim().toLocaleLowerCase("de-DE")));
  const period = periodOf(effectiveFrom);
  const billed = affected.length
    ? await db
        .select({ id: billingPeriods.instanceId })
        .from(billingPeriods)
        .where(and(eq(billingPeriods.periodStart, period.start), inArray(billingPeriods.instanceId, affected.map((a) => a.id))))
    : [];
  const instanceCount = affected.length;
  const customerCount = customers.size;
  return {
    affected,
    impact: {
      tier_key: tier.key,
      tier_label: tier.label,
      effective_from: effectiveFrom,
      effective_from_label: formatDateDe(effectiveFrom),
      previous_price_cents: previousCents,
      previous_price_label: formatEuro(previousCents),
      monthly_price_cents: newCents,
      monthly_price_label: formatEuro(newCents),
      /** Instances billed at the tier price (not cancelled, no individual price). */
      instance_count: instanceCount,
      /** Distinct customers (companies) owning those instances. */
      customer_count: customerCount,
      instances_on_tier: onTier?.total ?? 0,
      /** On the tier but with an individual price: not affected. */
      price_override_count: onTier?.overridden ?? 0,
      /** Affected instances whose period containing the date is already billed (in advance, at the old price). */
      already_billed_count: billed.length,
      already_billed_period_label: period.label,
      summary_label: `${plural(instanceCount, "Instanz", "Instanzen")} von ${customerCount} Kunden, ab ${formatDateDe(effectiveFrom)}: ${formatEuro(newCents)} statt ${formatEuro(previousCents)} pro Monat`,
    },
  };
}
export type TierPriceImpact = Awaited<ReturnType<typeof computeImpact>>["impact"];

async function loadTier(db: DbOrTx, key: string, lock: boolean) {
  const query = db.select().from(pricingTiers).where(eq(pricingTiers.key, key));
  const [tier] = lock ? await query.for("update") : await query;
  if (!tier) throw new NotFoundError(TIER_NOT_FOUND);
  return tier;
}

/**
 * Schedules a new monthly price of tier `tierKey` from `effective_from` (default:
 * next billing period). With `dry_run` it only answers the impact, for the
 * confirmation dialog. The tier row is locked so concurrent schedulings of one
 * tier see each other's changes.
 */
export async function scheduleTierPrice(actor: Actor, input: ScheduleTierPriceInput & { tierKey: string }, options?: CommandOptions) {
  const key = input.tierKey;
  const today = billingToday();
  const effectiveFrom = input.effective_from ?? defaultEffectiveFrom(today);
  const cents = input.monthly_price;
  return inTransaction(options, async (tx) => {
    const tier = await loadTier(tx, key, !input.dry_run);
    checkEffectiveFrom(effectiveFrom, today);
    const changes = (await loadTierPriceChanges(tx, [key])).get(key) ?? [];
    const existing = changes.find((c) => c.effectiveFrom === effectiveFrom);
    if (existing) {
      throw new ConflictError(
        `Für den ${formatDateDe(effectiveFrom)} ist bereits eine Preisänderung geplant (${formatEuro(existing.monthlyPriceCents)}). Bitte stornieren Sie sie zuerst.`,
      );
    }
    const previous = priceOn(tier.monthlyPriceCents, changes, effectiveFrom);
    if (previous === cents) throw new ValidationError({ monthly_price: [`Der Tarif kostet ab ${formatDateDe(effectiveFrom)} bereits ${formatEuro(cents)}.`] });
    const { affected, impact } = await computeImpact(tx, tier, effectiveFrom, previous, cents);
    if (input.dry_run) return { dry_run: true as const, message: impact.summary_label, impact, price_change: null };

    const [row] = await tx
      .insert(tierPriceChanges)
      .values({ tierKey: key, effectiveFrom, monthlyPriceCents: cents, createdBy: actorUserId(actor) })
      .onConflictDoNothing()
      .returning();
    if (!row) throw new ConflictError(`Für den ${formatDateDe(effectiveFrom)} ist bereits eine Preisänderung geplant. Bitte stornieren Sie sie zuerst.`);
    const metadata = { tier: key, effective_from: effectiveFrom, monthly_price_cents: cents, previous_price_cents: previous };
    await recordActivity(tx, actor, {
      instanceId: null,
      action: "billing.tier_price_scheduled",
      description: `Preisänderung für Tarif „${tier.label}“ geplant: ${impact.summary_label}`,
      metadata: { ...metadata, instance_count: impact.instance_count, customer_count: impact.customer_count },
    });
    for (const instance of affected) {
      await recordActivity(tx, actor, {
        instanceId: instance.id,
        action: "billing.tier_price_scheduled",
        description: `Neuer Preis für Ihren Tarif „${tier.label}“: ab ${formatDateDe(effectiveFrom)} ${formatEuro(cents)} pro Monat (bisher ${formatEuro(previous)})`,
        metadata,
      });
    }
    return {
      dry_run: false as const,
      message: `Preisänderung geplant: ${upcomingLabel({ effectiveFrom, monthlyPriceCents: cents })}.`,
      impact,
      price_change: { ...presentPriceChange({ effectiveFrom, monthlyPriceCents: cents }), tier_key: key, created_at: apiTimestamp(row.createdAt) },
    };
  });
}

/** Cancels the change of tier `tierKey` on `day`, if it has not taken effect yet. */
export async function cancelTierPrice(actor: Actor, input: { tierKey: string; day: string }, options?: CommandOptions) {
  const { tierKey: key, day } = input;
  const today = billingToday();
  return inTransaction(options, async (tx) => {
    const tier = await loadTier(tx, key, true);
    if (!isIsoDay(day)) throw new NotFoundError(CHANGE_NOT_FOUND);
    const [removed] = await tx
      .delete(tierPriceChanges)
      .where(and(eq(tierPriceChanges.tierKey, key), eq(tierPriceChanges.effectiveFrom, day), sql`${tierPriceChanges.effectiveFrom} > ${today}`))
      .returning();
    if (!removed) {
      const [inEffect] = await tx
        .select({ day: tierPriceChanges.effectiveFrom })
        .from(tierPriceChanges)
        .where(and(eq(tierPriceChanges.tierKey, key), eq(tierPriceChanges.effectiveFrom, day)));
      if (inEffect) throw new ConflictError(`Die Preisänderung ab ${formatDateDe(day)} gilt bereits und kann nicht mehr storniert werden.`);
      throw new NotFoundError(CHANGE_NOT_FOUND);
    }
    const remaining = (await loadTierPriceChanges(tx, [key])).get(key) ?? [];
    const stays = priceOn(tier.monthlyPriceCents, remaining, day);
    const affected = await affectedInstances(tx, key);
    const metadata = { tier: key, effective_from: day, monthly_price_cents: removed.monthlyPriceCents, price_cents_from_then: stays };
    await recordActivity(tx, actor, {
      instanceId: null,
      action: "billing.tier_price_cancelled",
      description: `Geplante Preisänderung für Tarif „${tier.label}“ ab ${formatDateDe(day)} (${formatEuro(removed.monthlyPriceCents)}) storniert (${plural(affected.length, "Instanz", "Instanzen")})`,
      metadata: { ...metadata, instance_count: affected.length },
    });
    for (const instance of affected) {
      await recordActivity(tx, actor, {
        instanceId: instance.id,
        action: "billing.tier_price_cancelled",
        description: `Die angekündigte Preisänderung Ihres Tarifs „${tier.label}“ ab ${formatDateDe(day)} (${formatEuro(removed.monthlyPriceCents)}) entfällt; ab diesem Tag gelten weiter ${formatEuro(stays)} pro Monat`,
        metadata,
      });
    }
    return { message: `Preisänderung ab ${formatDateDe(day)} storniert.` };
  });
}

