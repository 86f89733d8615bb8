import { addDays, daysInclusive } from "@/lib/time";
import { describe, expect, it } from "vitest";
import { billingPeriod, nextPeriod, periodOf } from "@/lib/billing/period";
import { computePlan, tierOn, type PlanInput } from "@/lib/billing/plan";
import { proRataCents } from "@/lib/billing/pro-rata";

describe("proRataCents", () => {
  it("charges the full month unchanged", () => {
    expect(proRataCents(4900, 30, 30)).toBe(4900);
    expect(proRataCents(4900, 28, 28)).toBe(4900);
  });
  it("is cent-exact with one half-up rounding", () => {
    expect(proRataCents(4900, 16, 30)).toBe(2613); // 2613.33…
    expect(proRataCents(1000, 15, 30)).toBe(500);
    expect(proRataCents(1, 15, 30)).toBe(1); // 0.5 ct → up
    expect(proRataCents(1, 14, 30)).toBe(0); // 0.466… ct → down
    expect(proRataCents(9900, 1, 31)).toBe(319); // 319.35…
    expect(proRataCents(2900, 17, 28)).toBe(1761); // 1760.71…
    expect(proRataCents(4999, 15, 31)).toBe(2419); // 2418.87…
    expect(proRataCents(0, 10, 30)).toBe(0);
  });
  it("rounds exactly at .5 boundaries without float error", () => {
    // 3 × 30 / 31 ... pick a case that is exactly x.5: 31 ct for 15 of 30 days = 15.5 → 16
    expect(proRataCents(31, 15, 30)).toBe(16);
    // large amounts stay exact
    expect(proRataCents(123_456_789_01, 7, 31)).toBe(Math.floor((123_456_789_01 * 7 * 2 + 31) / 62));
  });
  it("rejects nonsense", () => {
    expect(() => proRataCents(100, 31, 30)).toThrow();
    expect(() => proRataCents(-1, 1, 30)).toThrow();
    expect(() => proRataCents(100, 1, 27)).toThrow();
  });
});

describe("periods", () => {
  it("knows month lengths, labels and leap years", () => {
    expect(billingPeriod("2026-11")).toMatchObject({ start: "2026-11-01", end: "2026-11-30", days: 30, label: "November 2026" });
    expect(billingPeriod("2028-02").days).toBe(29);
    expect(billingPeriod("2027-02").days).toBe(28);
    expect(nextPeriod(billingPeriod("2026-12")).key).toBe("2027-01");
    expect(periodOf("2026-03-31").label).toBe("März 2026");
    expect(addDays("2026-10-31", 1)).toBe("2026-11-01");
    expect(daysInclusive("2026-11-15", "2026-11-30")).toBe(16);
    expect(() => billingPeriod("2026-13")).toThrow();
  });
});

const tiers = new Map([
  ["starter", { label: "Starter", monthlyPriceCents: 2900 }],
  ["standard", { label: "Standard", monthlyPriceCents: 4900 }],
  ["professional", { label: "Professional", monthlyPriceCents: 9900 }],
]);
const settings = { billSuspended: true, tierVatRate: 1900 };
const nov = billingPeriod("2026-11");

function input(overrides: Partial<PlanInput> = {}): PlanInput {
  return { instanceId: 1, suspended: false, tierKey: "standard", billingStatus: "active", trialEndsAt: null, priceOverrideCents: null, tiers, tierChanges: [], items: [], ...overrides };
}

describe("computePlan", () => {
  it("bills an active instance its tier price for the month", () => {
    const plan = computePlan(input(), nov, settings)!;
    expect(plan.netCents).toBe(4900);
    expect(plan.lines).toHaveLength(1);
    expect(plan.lines[0]).toMatchObject({ description: "Tarif Standard (November 2026)", netCents: 4900, vatRate: 1900 });
  });
  it("uses the instance's price override", () => {
    expect(computePlan(input({ priceOverrideCents: 3999 }), nov, settings)!.netCents).toBe(3999);
  });
  it("does not bill a trial, and bills the first month after it pro rata", () => {
    expect(computePlan(input({ billingStatus: "trial", trialEndsAt: "2026-11-30" }), nov, settings)).toBeNull();
    expect(computePlan(input({ billingStatus: "trial", trialEndsAt: null }), nov, settings)).toBeNull();
    const plan = computePlan(input({ billingStatus: "trial", trialEndsAt: "2026-11-14" }), nov, settings)!;
    expect(plan.billedFrom).toBe("2026-11-15");
    expect(plan.netCents).toBe(2613); // 4900 × 16/30
    expect(plan.lines[0]!.description).toBe("Tarif Standard anteilig 15.11.2026–30.11.2026 (16 von 30 Tagen)");
    // the month after: full price
    expect(computePlan(input({ billingStatus: "active", trialEndsAt: "2026-11-14" }), nextPeriod(nov), settings)!.netCents).toBe(4900);
  });
  it("gives cancelled instances no new period", () => {
    expect(computePlan(input({ billingStatus: "cancelled" }), nov, settings)).toBeNull();
  });
  it("bills suspended instances unless the setting is off", () => {
    expect(computePlan(input({ suspended: true }), nov, settings)!.netCents).toBe(4900);
    expect(computePlan(input({ suspended: true }), nov, { ...settings, billSuspended: false })).toBeNull();
  });
  it("splits a tier change mid-period into pro-rata lines with their dates", () => {
    const changes = [
      { tierKey: "standard", effectiveFrom: "1970-01-01" },
      { tierKey: "professional", effectiveFrom: "2026-11-11" },
    ];
    expect(tierOn({ tierKey: "professional", tierChanges: changes }, "2026-11-10")).toBe("standard");
    const plan = computePlan(input({ tierKey: "professional", tierChanges: changes }), nov, settings)!;
    expect(plan.lines.map((l) => [l.description, l.netCents])).toEqual([
      ["Tarif Standard anteilig 01.11.2026–10.11.2026 (10 von 30 Tagen)", 1633], // 1633.33
      ["Tarif Professional anteilig 11.11.2026–30.11.2026 (20 von 30 Tagen)", 6600],
    ]);
    expect(plan.netCents).toBe(8233);
  });
  it("bills extra items fully or pro rata by their start and end", () => {
    const items = [
      { description: "Backup-Speicher", quantityMilli: 3000, unit: "Stück", unitPriceCents: 333, vatRate: 1900, startsOn: "2026-01-01", endsOn: null },
      { description: "Zusatzlizenz", quantityMilli: 1000, unit: "Stück", unitPriceCents: 1000, vatRate: 700, startsOn: "2026-11-21", endsOn: null },
      { description: "Altposition", quantityMilli: 1000, unit: "Stück", unitPriceCents: 5000, vatRate: 1900, startsOn: "2026-01-01", endsOn: "2026-10-31" },
      { description: "Kurzläufer", quantityMilli: 2000, unit: "Stück", unitPriceCents: 750, vatRate: 1900, startsOn: "2026-11-01", endsOn: "2026-11-05" },
    ];
    const plan = computePlan(input({ items }), nov, settings)!;
    expect(plan.lines.map((l) => [l.description, l.quantityMilli, l.unitPriceCents, l.netCents])).toEqual([
      ["Tarif Standard (November 2026)", 1000, 4900, 4900],
      ["Backup-Speicher (November 2026)", 3000, 333, 999],
      ["Zusatzlizenz anteilig 21.11.2026–30.11.2026 (10 von 30 Tagen)", 1000, 333, 333],
      ["2 × Kurzläufer anteilig 01.11.2026–05.11.2026 (5 von 30 Tagen)", 1000, 250, 250],
    ]);
    expect(plan.netCents).toBe(4900 + 999 + 333 + 250);
  });
});
