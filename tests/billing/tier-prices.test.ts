/**
 * Scheduled tier prices (issue 14, "Tarifpreise"): the pure price/plan rules,
 * then the service on the database with the billing clock fixed at
 * 10.11.2029 (Berlin): scheduling (default date, dry run, validation),
 * billing before and after the date with a cent-exact pro-rata split,
 * cancelling, and which activity entries customers get.
 */
import { and, asc, eq, isNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { activityLog, billing, instances, invoiceItems, invoices, tierPriceChanges, users } from "@/db/schema";
import { userActor, type UserActor } from "@/lib/activity";
import { listTiers, updateTier } from "@/lib/admin/tiers";
import { useFixedClock } from "@/lib/billing/clock";
import { billingPeriod } from "@/lib/billing/period";
import { computePlan, type PlanInput } from "@/lib/billing/plan";
import { proRataCents } from "@/lib/billing/pro-rata";
import { executeBillingRun, previewBillingRun } from "@/lib/billing/run";
import { scheduleTierPriceBody } from "@/lib/billing/tier-price-schemas";
import { cancelTierPrice, defaultEffectiveFrom, priceOn, scheduleTierPrice } from "@/lib/billing/tier-prices";
import { ConflictError, NotFoundError, ValidationError } from "@/lib/errors";
import { useTestDatabase } from "../helpers/db";

describe("priceOn and the default date", () => {
  const changes = [
    { effectiveFrom: "2029-12-01", monthlyPriceCents: 3900 },
    { effectiveFrom: "2030-03-01", monthlyPriceCents: 4400 },
  ];
  it("uses the base price before the first change and the latest change on or before the day after it", () => {
    expect(priceOn(4900, changes, "2029-11-30")).toBe(4900);
    expect(priceOn(4900, changes, "2029-12-01")).toBe(3900);
    expect(priceOn(4900, changes, "2030-02-28")).toBe(3900);
    expect(priceOn(4900, changes, "2030-03-01")).toBe(4400);
    expect(priceOn(4900, [...changes].reverse(), "2031-01-01")).toBe(4400);
    expect(priceOn(4900, [], "2031-01-01")).toBe(4900);
  });

  it("defaults to the first day of the next billing period (calendar month)", () => {
    expect(defaultEffectiveFrom("2029-11-10")).toBe("2029-12-01");
    expect(defaultEffectiveFrom("2029-11-01")).toBe("2029-12-01");
    expect(defaultEffectiveFrom("2029-12-31")).toBe("2030-01-01");
  });
});

describe("computePlan with tier price changes", () => {
  const settings = { billSuspended: true, tierVatRate: 1900 };
  const nov = billingPeriod("2029-11");
  const tiers = (standardChanges: { effectiveFrom: string; monthlyPriceCents: number }[], professionalChanges: typeof standardChanges = []) =>
    new Map([
      ["standard", { label: "Standard", monthlyPriceCents: 4900, priceChanges: standardChanges }],
      ["professional", { label: "Professional", monthlyPriceCents: 9900, priceChanges: professionalChanges }],
    ]);
  const input = (overrides: Partial<PlanInput>): PlanInput => ({
    instanceId: 1,
    suspended: false,
    tierKey: "standard",
    billingStatus: "active",
    trialEndsAt: null,
    priceOverrideCents: null,
    tiers: tiers([]),
    tierChanges: [],
    items: [],
    ...overrides,
  });

  it("splits the period at the change: old price before, new price from the date, each line rounded on its own", () => {
    const plan = computePlan(input({ tiers: tiers([{ effectiveFrom: "2029-11-15", monthlyPriceCents: 3900 }]) }), nov, settings)!;
    expect(plan.lines.map((l) => [l.description, l.periodStart, l.periodEnd, l.netCents])).toEqual([
      ["Tarif Standard (49,00 €/Monat) anteilig 01.11.2029–14.11.2029 (14 von 30 Tagen)", "2029-11-01", "2029-11-14", 2287],
      ["Tarif Standard (39,00 €/Monat) anteilig 15.11.2029–30.11.2029 (16 von 30 Tagen)", "2029-11-15", "2029-11-30", 2080],
    ]);
    // 4900 × 14 / 30 = 2286,67 → 2287; 3900 × 16 / 30 = 2080 exactly
    expect(proRataCents(4900, 14, 30)).toBe(2287);
    expect(plan.netCents).toBe(2287 + 2080);
  });

  it("bills a whole period at the price in effect when the change is on or before its first day", () => {
    const t = tiers([{ effectiveFrom: "2029-11-01", monthlyPriceCents: 3900 }]);
    expect(computePlan(input({ tiers: t }), nov, settings)!.lines.map((l) => [l.description, l.netCents])).toEqual([["Tarif Standard (November 2029)", 3900]]);
    expect(computePlan(input({ tiers: t }), billingPeriod("2029-10"), settings)!.netCents).toBe(4900);
  });

  it("ignores price changes of other tiers and under an individual price", () => {
    const other = tiers([], [{ effectiveFrom: "2029-11-10", monthlyPriceCents: 8900 }]);
    expect(computePlan(input({ tiers: other }), nov, settings)!.lines).toHaveLength(1);
    const own = tiers([{ effectiveFrom: "2029-11-10", monthlyPriceCents: 3900 }]);
    const plan = computePlan(input({ tiers: own, priceOverrideCents: 3999 }), nov, settings)!;
    expect(plan.lines.map((l) => [l.description, l.netCents])).toEqual([["Tarif Standard (November 2029)", 3999]]);
  });

  it("combines a tier change and a price change into three lines", () => {
    const plan = computePlan(
      input({
        tiers: tiers([{ effectiveFrom: "2029-11-10", monthlyPriceCents: 3900 }]),
        tierChanges: [
          { tierKey: "standard", effectiveFrom: "1970-01-01" },
          { tierKey: "professional", effectiveFrom: "2029-11-20" },
        ],
        tierKey: "professional",
      }),
      nov,
      settings,
    )!;
    expect(plan.lines.map((l) => [l.periodStart, l.periodEnd, l.netCents])).toEqual([
      ["2029-11-01", "2029-11-09", proRataCents(4900, 9, 30)],
      ["2029-11-10", "2029-11-19", proRataCents(3900, 10, 30)],
      ["2029-11-20", "2029-11-30", proRataCents(9900, 11, 30)],
    ]);
    expect(plan.lines[2]!.description).toBe("Tarif Professional anteilig 20.11.2029–30.11.2029 (11 von 30 Tagen)");
    expect(plan.netCents).toBe(1470 + 1300 + 3630);
  });
});

describe("scheduling on the database", () => {
  const database = useTestDatabase({ seedAt: "2026-12-04T10:00:00Z" }); // fixed seed day: this file fixes the billing clock too
  let clock: ReturnType<typeof useFixedClock>;
  let staff: UserActor;
  let ids: Record<string, number>;

  const parse = (body: unknown) => scheduleTierPriceBody.parse(body);
  const entries = (action: string) =>
    database.db().select().from(activityLog).where(eq(activityLog.action, action)).orderBy(asc(activityLog.id));

  beforeAll(async () => {
    const db = database.db();
    clock = useFixedClock("2029-11-10T09:00:00Z");
    await db.update(billing).set({ status: "active", trialEndsAt: null, monthlyPriceCents: null });
    const rows = await db.select({ id: instances.id, name: instances.name }).from(instances);
    ids = Object.fromEntries(rows.map((r) => [r.name, r.id]));
    // A second instance of Acme Corp on "standard" (same customer) and one with an individual price.
    const [second] = await db
      .insert(instances)
      .values({ name: "acme-zwei", companyName: "ACME Corp ", pricingTier: "standard", portalDomain: "acme-zwei.portal.test", meshcentralDomain: "acme-zwei.remote.test" })
      .returning();
    const [special] = await db
      .insert(instances)
      .values({ name: "sonderpreis", companyName: "Sonder GmbH", pricingTier: "standard", portalDomain: "sonder.portal.test", meshcentralDomain: "sonder.remote.test" })
      .returning();
    const [gone] = await db
      .insert(instances)
      .values({ name: "gekuendigt", companyName: "Weg GmbH", pricingTier: "standard", portalDomain: "weg.portal.test", meshcentralDomain: "weg.remote.test" })
      .returning();
    await db.insert(billing).values([
      { instanceId: second!.id, status: "active" },
      { instanceId: special!.id, status: "active", monthlyPriceCents: 2500 },
      { instanceId: gone!.id, status: "cancelled" },
    ]);
    ids = { ...ids, "acme-zwei": second!.id, sonderpreis: special!.id, gekuendigt: gone!.id };
    const [admin] = await db.select().from(users).where(eq(users.email, "msp-admin@myit.center"));
    staff = userActor({ userId: admin!.id, name: admin!.name, staff: true }, "203.0.113.5");
  });
  afterAll(() => clock.reset());

  it("a dry run counts affected instances and customers and writes nothing", async () => {
    const before = (await database.db().select().from(activityLog)).length;
    const result = await scheduleTierPrice(staff, { ...parse({ monthly_price: "39,00", dry_run: true }), tierKey: "standard" });
    expect(result.dry_run).toBe(true);
    expect(result.impact).toMatchObject({
      tier_key: "standard",
      effective_from: "2029-12-01",
      effective_from_label: "01.12.2029",
      previous_price_cents: 4900,
      monthly_price_cents: 3900,
      // acme + acme-zwei (one customer: same company), not the individual price, not the cancelled one
      instance_count: 2,
      customer_count: 1,
      instances_on_tier: 4,
      price_override_count: 1,
      already_billed_count: 0,
      summary_label: "2 Instanzen von 1 Kunden, ab 01.12.2029: 39,00 € statt 49,00 € pro Monat",
    });
    expect(await database.db().select().from(tierPriceChanges)).toEqual([]);
    expect((await database.db().select().from(activityLog)).length).toBe(before);
  });

  it("schedules from the next period by default: one staff entry, one entry per affected instance", async () => {
    const result = await scheduleTierPrice(staff, { ...parse({ monthly_price: 39 }), tierKey: "standard" });
    expect(result.dry_run).toBe(false);
    expect(result.message).toBe("Preisänderung geplant: ab 01.12.2029: 39,00 €.");
    expect(result.price_change).toMatchObject({ tier_key: "standard", effective_from: "2029-12-01", monthly_price_cents: 3900, label: "ab 01.12.2029: 39,00 €" });
    const [row] = await database.db().select().from(tierPriceChanges);
    expect(row).toMatchObject({ tierKey: "standard", effectiveFrom: "2029-12-01", monthlyPriceCents: 3900, createdBy: staff.principal.userId });

    const logged = await entries("billing.tier_price_scheduled");
    expect(logged.map((e) => e.instanceId).sort()).toEqual([ids.acme, ids["acme-zwei"], null].sort());
    const acme = logged.find((e) => e.instanceId === ids.acme)!;
    expect(acme.description).toBe("Neuer Preis für Ihren Tarif „Standard“: ab 01.12.2029 39,00 € pro Monat (bisher 49,00 €)");
    expect(acme.actorType).toBe("staff");
    expect(logged.find((e) => e.instanceId === null)!.description).toContain("2 Instanzen von 1 Kunden");
  });

  it("lists today's price and the upcoming change", async () => {
    const { tiers, default_effective_from } = await listTiers();
    expect(default_effective_from).toBe("2029-12-01");
    const standard = tiers.find((t) => t.key === "standard")!;
    expect(standard).toMatchObject({ monthly_price_cents: 4900, monthly_price_label: "49,00 €" });
    expect(standard.upcoming_price_changes.map((c) => c.label)).toEqual(["ab 01.12.2029: 39,00 €"]);
  });

  it("bills the old price before the date and the new price from it", async () => {
    const nov = await previewBillingRun("2029-11");
    const dec = await previewBillingRun("2029-12");
    const net = (preview: typeof nov, id: number) => preview.invoices.find((i) => i.instance_id === id)?.net_cents;
    expect(net(nov, ids.acme!)).toBe(4900);
    expect(net(dec, ids.acme!)).toBe(3900);
    expect(net(dec, ids["acme-zwei"]!)).toBe(3900);
    expect(net(dec, ids.sonderpreis!)).toBe(2500);
    expect(net(dec, ids.gekuendigt!)).toBeUndefined();
  });

  it("splits the running period cent-exactly when the change is mid-period, on the real invoice", async () => {
    await scheduleTierPrice(staff, { ...parse({ monthly_price: "89,00", effective_from: "2029-11-20" }), tierKey: "professional" });
    const run = await executeBillingRun(staff, { period: "2029-11" });
    expect(run.invoice_count).toBeGreaterThan(0);
    const preview = await previewBillingRun("2029-11");
    expect(preview.invoices.find((i) => i.instance_id === ids.bergmann)).toBeUndefined(); // billed now
    const [invoice] = await database.db().select().from(invoices).where(and(eq(invoices.instanceId, ids.bergmann!), eq(invoices.servicePeriodStart, "2029-11-01")));
    const items = await database.db().select().from(invoiceItems).where(eq(invoiceItems.invoiceId, invoice!.id)).orderBy(asc(invoiceItems.position));
    // 9900 × 19 / 30 = 6270; 8900 × 11 / 30 = 3263,33 → 3263
    expect(items.map((i) => [i.description, i.unitPriceCents])).toEqual([
      ["Tarif Professional (99,00 €/Monat) anteilig 01.11.2029–19.11.2029 (19 von 30 Tagen)", 6270],
      ["Tarif Professional (89,00 €/Monat) anteilig 20.11.2029–30.11.2029 (11 von 30 Tagen)", 3263],
    ]);
    expect(invoice!.netCents).toBe(9533);
  });

  it("the impact tells when the period of the date is already billed", async () => {
    const result = await scheduleTierPrice(staff, { ...parse({ monthly_price: "79,00", effective_from: "2029-11-25", dry_run: true }), tierKey: "professional" });
    expect(result.impact).toMatchObject({ instance_count: 1, already_billed_count: 1, already_billed_period_label: "November 2029", previous_price_cents: 8900 });
  });

  it("refuses past and far dates, an unchanged price, a second change on the same day and unknown tiers", async () => {
    const fail = async (key: string, body: unknown) => scheduleTierPrice(staff, { ...parse(body), tierKey: key }).then(() => null, (e: unknown) => e);
    const past = await fail("standard", { monthly_price: 45, effective_from: "2029-11-09" });
    expect(past).toBeInstanceOf(ValidationError);
    expect((past as ValidationError).fields.effective_from).toEqual(["Das Datum darf nicht in der Vergangenheit liegen (frühestens 10.11.2029)."]);
    const far = await fail("standard", { monthly_price: 45, effective_from: "2034-11-11" });
    expect((far as ValidationError).fields.effective_from![0]).toContain("höchstens 5 Jahre");
    const same = await fail("standard", { monthly_price: "39,00", effective_from: "2030-01-01" });
    expect((same as ValidationError).fields.monthly_price).toEqual(["Der Tarif kostet ab 01.01.2030 bereits 39,00 €."]);
    const twice = await fail("standard", { monthly_price: 44, effective_from: "2029-12-01" });
    expect(twice).toBeInstanceOf(ConflictError);
    expect((twice as Error).message).toContain("bereits eine Preisänderung geplant (39,00 €)");
    expect(await fail("gold", { monthly_price: 44 })).toBeInstanceOf(NotFoundError);
    // today is allowed ("not in the past")
    const today = await scheduleTierPrice(staff, { ...parse({ monthly_price: 31, effective_from: "2029-11-10", dry_run: true }), tierKey: "starter" });
    expect(today.impact.effective_from).toBe("2029-11-10");
    expect(await database.db().select().from(tierPriceChanges).where(eq(tierPriceChanges.tierKey, "standard"))).toHaveLength(1);
  });

  it("cancels a change before it takes effect and tells the customers once; a change in effect stays", async () => {
    const result = await cancelTierPrice(staff, { tierKey: "standard", day: "2029-12-01" });
    expect(result.message).toBe("Preisänderung ab 01.12.2029 storniert.");
    expect(await database.db().select().from(tierPriceChanges).where(eq(tierPriceChanges.tierKey, "standard"))).toEqual([]);
    const logged = await entries("billing.tier_price_cancelled");
    expect(logged.map((e) => e.instanceId).sort()).toEqual([ids.acme, ids["acme-zwei"], null].sort());
    expect(logged.find((e) => e.instanceId === ids.acme)!.description).toBe(
      "Die angekündigte Preisänderung Ihres Tarifs „Standard“ ab 01.12.2029 (39,00 €) entfällt; ab diesem Tag gelten weiter 49,00 € pro Monat",
    );
    expect((await previewBillingRun("2029-12")).invoices.find((i) => i.instance_id === ids.acme)!.net_cents).toBe(4900);
    await expect(cancelTierPrice(staff, { tierKey: "standard", day: "2029-12-01" })).rejects.toBeInstanceOf(NotFoundError);
    await expect(cancelTierPrice(staff, { tierKey: "standard", day: "kein-datum" })).rejects.toBeInstanceOf(NotFoundError);
    await expect(cancelTierPrice(staff, { tierKey: "gold", day: "2029-12-01" })).rejects.toBeInstanceOf(NotFoundError);
    // professional's change of 20.11. is in effect once the clock passes it
    clock.set("2029-11-21T09:00:00Z");
    const inEffect = await cancelTierPrice(staff, { tierKey: "professional", day: "2029-11-20" }).then(() => null, (e: unknown) => e);
    expect(inEffect).toBeInstanceOf(ConflictError);
    expect((inEffect as Error).message).toBe("Die Preisänderung ab 20.11.2029 gilt bereits und kann nicht mehr storniert werden.");
    const professional = (await listTiers()).tiers.find((t) => t.key === "professional")!;
    expect(professional).toMatchObject({ monthly_price_cents: 8900, upcoming_price_changes: [] });
    clock.set("2029-11-10T09:00:00Z");
  });

  it("label and limit edits are one staff-level entry, never in the customers' logs; a new price needs a date", async () => {
    const before = await database.db().select().from(activityLog).where(eq(activityLog.instanceId, ids.acme!));
    for (const label of ["Standart", "Standard Plus"]) {
      const res = await updateTier(staff, { tierKey: "standard", label, max_devices: 600 });
      expect(res.message).toBe("Tarif gespeichert.");
    }
    expect(await database.db().select().from(activityLog).where(eq(activityLog.instanceId, ids.acme!))).toHaveLength(before.length);
    const staffEntries = await database
      .db()
      .select()
      .from(activityLog)
      .where(and(eq(activityLog.action, "admin.tier_updated"), isNull(activityLog.instanceId)))
      .orderBy(asc(activityLog.id));
    expect(staffEntries.map((e) => e.description)).toEqual([
      "Tarif „Standart“ geändert: Bezeichnung: Standard → Standart; Max. Geräte: 500 → 600",
      "Tarif „Standard Plus“ geändert: Bezeichnung: Standart → Standard Plus",
    ]);
    // the whole tier sent back unchanged is fine; a new price is not
    expect((await updateTier(staff, { tierKey: "standard", monthly_price: 49 })).message).toBe("Keine Änderungen.");
    const priced = await updateTier(staff, { tierKey: "standard", monthly_price: 45 }).then(() => null, (e: unknown) => e);
    expect(priced).toBeInstanceOf(ValidationError);
    expect((priced as ValidationError).fields.monthly_price![0]).toContain("/api/manage/admin/tiers/standard/price-changes");
  });
});
