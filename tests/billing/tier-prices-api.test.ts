/**
 * The staff endpoints of scheduled tier prices, called as Next.js calls them:
 * POST /api/manage/admin/tiers/{key}/price-changes (dry run and real),
 * DELETE …/price-changes/{date}, the tier list, PATCH of label and limits,
 * and what the customer sees in /status and the activity log.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as activity } from "@/app/api/manage/activity-log/route";
import { GET as listTiers } from "@/app/api/manage/admin/tiers/route";
import { PATCH as patchTier } from "@/app/api/manage/admin/tiers/[key]/route";
import { POST as schedule } from "@/app/api/manage/admin/tiers/[key]/price-changes/route";
import { DELETE as cancel } from "@/app/api/manage/admin/tiers/[key]/price-changes/[date]/route";
import { GET as status } from "@/app/api/manage/status/route";
import { billing, tierPriceChanges } from "@/db/schema";
import { useFixedClock } from "@/lib/billing/clock";
import { useTestDatabase } from "../helpers/db";
import { call } from "../helpers/http";
import { CUSTOMER, loginAs, STAFF, SUPPORT } from "../admin/helpers";

const database = useTestDatabase({ seedAt: "2026-12-04T10:00:00Z" }); // fixed seed day: this file fixes the billing clock too
let clock: ReturnType<typeof useFixedClock>;
let staff: string;
let customer: string;

beforeAll(async () => {
  await database.db().update(billing).set({ status: "active", trialEndsAt: null, monthlyPriceCents: null });
  clock = useFixedClock("2029-11-10T09:00:00Z");
  staff = await loginAs(STAFF);
  customer = await loginAs(CUSTOMER); // admin@firma.de: acme, tier "standard"
});
afterAll(() => clock.reset());

const post = (key: string, body: unknown, token = staff) =>
  call(schedule, "POST", `/api/manage/admin/tiers/${key}/price-changes`, { token, body, params: { key } });
const del = (key: string, date: string, token = staff) =>
  call(cancel, "DELETE", `/api/manage/admin/tiers/${key}/price-changes/${date}`, { token, params: { key, date } });
const customerLog = async () => (await call(activity, "GET", "/api/manage/activity-log?per_page=50", { token: customer })).json.logs as { action: string; description: string }[];

describe("price changes over the API", () => {
  it("dry_run answers the confirmation's numbers (200) and writes nothing", async () => {
    const res = await post("standard", { monthly_price: "39,00", dry_run: true });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json.dry_run).toBe(true);
    expect(res.json.impact).toMatchObject({ effective_from: "2029-12-01", instance_count: 1, customer_count: 1, previous_price_label: "49,00 €", monthly_price_label: "39,00 €" });
    expect(await database.db().select().from(tierPriceChanges)).toEqual([]);
  });

  it("schedules (201); list, /status and the customer's log show it once", async () => {
    const res = await post("standard", { monthly_price: "39,00" });
    expect(res.status, JSON.stringify(res.json)).toBe(201);
    expect(res.json).toMatchObject({ message: "Preisänderung geplant: ab 01.12.2029: 39,00 €.", price_change: { effective_from: "2029-12-01", monthly_price_cents: 3900 } });

    const list = await call(listTiers, "GET", "/api/manage/admin/tiers", { token: staff });
    const standard = list.json.tiers.find((t: { key: string }) => t.key === "standard");
    expect(standard).toMatchObject({ monthly_price_label: "49,00 €", upcoming_price_changes: [{ effective_from: "2029-12-01", label: "ab 01.12.2029: 39,00 €" }] });
    expect(list.json.default_effective_from).toBe("2029-12-01");

    const s = await call(status, "GET", "/api/manage/status", { token: customer });
    expect(s.json.billing).toMatchObject({ monthly_price: "49,00 €", upcoming_price_change: { effective_from: "2029-12-01", monthly_price: "39,00 €", label: "ab 01.12.2029: 39,00 €" } });

    const logs = (await customerLog()).filter((l) => l.action === "billing.tier_price_scheduled");
    expect(logs.map((l) => l.description)).toEqual(["Neuer Preis für Ihren Tarif „Standard“: ab 01.12.2029 39,00 € pro Monat (bisher 49,00 €)"]);
  });

  it("shows the new price in /status once the date is reached", async () => {
    clock.set("2029-12-01T08:00:00Z");
    const s = await call(status, "GET", "/api/manage/status", { token: customer });
    expect(s.json.billing).toMatchObject({ monthly_price: "39,00 €", upcoming_price_change: null });
    clock.set("2029-11-10T09:00:00Z");
  });

  it("answers 422 with German messages for bad prices and dates", async () => {
    const bad = await post("standard", { monthly_price: "12,345", effective_from: "01.12.2029" });
    expect(bad.status).toBe(422);
    expect(bad.json.errors).toEqual({
      monthly_price: ["Der Monatspreis muss ein Betrag mit höchstens zwei Nachkommastellen sein (z. B. 39,00)."],
      effective_from: ["Das Datum muss im Format JJJJ-MM-TT angegeben werden (z. B. 2026-12-01)."],
    });
    const more = await post("standard", { monthly_price: -5, effective_from: "2029-02-30" });
    expect(more.status).toBe(422);
    expect(more.json.errors).toEqual({ monthly_price: ["Der Monatspreis darf nicht negativ sein."], effective_from: ["Dieses Datum gibt es nicht."] });
    const missing = await post("standard", {});
    expect(missing.status).toBe(422);
    expect(missing.json.errors.monthly_price).toEqual(["Bitte den neuen Monatspreis angeben (Euro, z. B. 39,00)."]);
    const past = await post("standard", { monthly_price: 45, effective_from: "2029-11-01" });
    expect(past.status).toBe(422);
    expect(past.json.errors.effective_from).toEqual(["Das Datum darf nicht in der Vergangenheit liegen (frühestens 10.11.2029)."]);
    const same = await post("standard", { monthly_price: 39, effective_from: "2029-12-15" });
    expect(same.status).toBe(422);
    expect(same.json.message).toBe("Der Tarif kostet ab 15.12.2029 bereits 39,00 €.");
  });

  it("answers 404 for unknown tiers and changes, 409 for a second change on one day", async () => {
    const unknown = await post("gold", { monthly_price: 45 });
    expect(unknown.status).toBe(404);
    expect(unknown.json.message).toBe("Tarif nicht gefunden.");
    expect((await del("gold", "2029-12-01")).status).toBe(404);
    const noChange = await del("standard", "2030-01-01");
    expect(noChange.status).toBe(404);
    expect(noChange.json.message).toBe("Diese Preisänderung gibt es nicht.");
    expect((await del("standard", "morgen")).status).toBe(404);
    const twice = await post("standard", { monthly_price: 44, effective_from: "2029-12-01" });
    expect(twice.status).toBe(409);
    expect(twice.json.message).toContain("Bitte stornieren Sie sie zuerst.");
  });

  it("is for staff with tenant.manage only", async () => {
    const support = await loginAs(SUPPORT);
    expect((await post("standard", { monthly_price: 45, dry_run: true }, support)).status).toBe(403);
    expect((await post("standard", { monthly_price: 45 }, customer)).status).toBe(403);
    expect((await del("standard", "2029-12-01", customer)).status).toBe(403);
    expect((await call(schedule, "POST", "/api/manage/admin/tiers/standard/price-changes", { body: { monthly_price: 45 }, params: { key: "standard" } })).status).toBe(401);
  });

  it("PATCH edits label and limits without telling customers, and refuses a new price without a date", async () => {
    const before = (await customerLog()).length;
    const res = await call(patchTier, "PATCH", "/api/manage/admin/tiers/standard", { token: staff, params: { key: "standard" }, body: { label: "Standard+", monthly_price: 49, max_customers: 60 } });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json.tier).toMatchObject({ label: "Standard+", max_customers: 60, monthly_price_label: "49,00 €", upcoming_price_changes: [{ label: "ab 01.12.2029: 39,00 €" }] });
    expect((await customerLog()).length).toBe(before);
    const s = await call(status, "GET", "/api/manage/status", { token: customer });
    expect(s.json.billing.pricing_tier_label).toBe("Standard+");
    expect(s.json.limits.max_customers).toBe(60);
    const priced = await call(patchTier, "PATCH", "/api/manage/admin/tiers/standard", { token: staff, params: { key: "standard" }, body: { monthly_price: 59 } });
    expect(priced.status).toBe(422);
    expect(priced.json.errors.monthly_price[0]).toContain("Preisänderung planen");
  });

  it("DELETE cancels before the date; the customer is told and /status no longer announces it", async () => {
    const res = await del("standard", "2029-12-01");
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json.message).toBe("Preisänderung ab 01.12.2029 storniert.");
    expect((await del("standard", "2029-12-01")).status).toBe(404);
    const s = await call(status, "GET", "/api/manage/status", { token: customer });
    expect(s.json.billing.upcoming_price_change).toBeNull();
    const logs = (await customerLog()).filter((l) => l.action === "billing.tier_price_cancelled");
    expect(logs).toHaveLength(1);
    expect(logs[0]!.description).toContain("entfällt; ab diesem Tag gelten weiter 49,00 € pro Monat");
  });

  it("a change already in effect cannot be cancelled (409)", async () => {
    expect((await post("starter", { monthly_price: "31,00", effective_from: "2029-11-10" })).status).toBe(201);
    const res = await del("starter", "2029-11-10");
    expect(res.status).toBe(409);
    expect(res.json.message).toBe("Die Preisänderung ab 10.11.2029 gilt bereits und kann nicht mehr storniert werden.");
    expect(await database.db().select().from(tierPriceChanges).where(eq(tierPriceChanges.tierKey, "starter"))).toHaveLength(1);
  });
});
