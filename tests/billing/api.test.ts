import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as preview } from "@/app/api/manage/admin/billing/preview/route";
import { POST as runs } from "@/app/api/manage/admin/billing/runs/route";
import { GET as getSettings, PUT as putSettings } from "@/app/api/manage/admin/billing/settings/route";
import { DELETE as deleteItem, GET as listItems, POST as addItem } from "@/app/api/manage/admin/instances/[id]/billing-items/route";
import { billing, instances, invoices } from "@/db/schema";
import { useFixedClock } from "@/lib/billing/clock";
import { API_TIMESTAMP_PATTERN } from "@/lib/time";
import { useTestDatabase } from "../helpers/db";
import { call } from "../helpers/http";
import { loginAs } from "../invoices/helpers";

const database = useTestDatabase({ seedAt: "2026-12-04T10:00:00Z" }); // fixed seed day: this file fixes the billing clock too
const origin = { origin: "http://localhost:3000" };
let staff: string;
let customer: string;
let acmeId: number;
let clock: ReturnType<typeof useFixedClock>;

beforeAll(async () => {
  staff = await loginAs("msp-admin@myit.center");
  customer = await loginAs("admin@firma.de");
  const [row] = await database.db().select({ id: instances.id }).from(instances).where(eq(instances.name, "acme"));
  acmeId = row!.id;
  await database.db().update(billing).set({ status: "active", trialEndsAt: null, monthlyPriceCents: null });
  clock = useFixedClock("2029-11-02T09:00:00Z");
});
afterAll(() => clock.reset());

const items = (method: "GET" | "POST" | "DELETE", token: string, options: { body?: unknown; query?: string; id?: string } = {}) =>
  call(method === "GET" ? listItems : method === "POST" ? addItem : deleteItem, method, `/api/manage/admin/instances/${options.id ?? acmeId}/billing-items${options.query ?? ""}`, {
    token,
    body: options.body,
    params: { id: options.id ?? String(acmeId) },
    headers: origin,
  });

describe("billing settings", () => {
  it("shows defaults, saves changes and rejects bad input in German", async () => {
    const initial = await call(getSettings, "GET", "/api/manage/admin/billing/settings", { token: staff });
    expect(initial.status).toBe(200);
    expect(initial.json.settings).toEqual({ billing_day: 1, bill_suspended: true, auto_issue: false, updated_at: null });
    const saved = await call(putSettings, "PUT", "/api/manage/admin/billing/settings", { token: staff, headers: origin, body: { billing_day: 5, bill_suspended: false, auto_issue: false } });
    expect(saved.status).toBe(200);
    expect(saved.json.settings).toMatchObject({ billing_day: 5, bill_suspended: false, auto_issue: false });
    expect(saved.json.settings.updated_at).toMatch(API_TIMESTAMP_PATTERN);
    const bad = await call(putSettings, "PUT", "/api/manage/admin/billing/settings", { token: staff, headers: origin, body: { billing_day: 31, bill_suspended: "ja", auto_issue: true } });
    expect(bad.status).toBe(422);
    expect(bad.json.errors.billing_day).toEqual(["Der Abrechnungstag muss zwischen 1 und 28 liegen."]);
    expect(bad.json.errors.bill_suspended).toBeDefined();
    await call(putSettings, "PUT", "/api/manage/admin/billing/settings", { token: staff, headers: origin, body: { billing_day: 1, bill_suspended: true, auto_issue: false } });
  });

  it("is for staff only", async () => {
    expect((await call(getSettings, "GET", "/api/manage/admin/billing/settings", { token: customer })).status).toBe(403);
    expect((await call(getSettings, "GET", "/api/manage/admin/billing/settings")).status).toBe(401);
    expect((await call(runs, "POST", "/api/manage/admin/billing/runs", { token: customer, headers: origin, body: { period: "2029-11" } })).status).toBe(403);
  });
});

describe("billing items", () => {
  it("adds, lists and removes recurring items", async () => {
    const added = await items("POST", staff, { body: { description: "Backup-Speicher 100 GB", quantity: 2, unit_price: "5,00", vat_rate: 19, starts_on: "2029-11-16" } });
    expect(added.status).toBe(201);
    expect(added.json.item).toMatchObject({ description: "Backup-Speicher 100 GB", quantity: 2, unit_price_cents: 500, vat_rate: 19, starts_on: "2029-11-16", ends_on: null });
    const list = await items("GET", staff);
    expect(list.json.items).toHaveLength(1);
    const bad = await items("POST", staff, { body: { description: "", quantity: 1, unit_price: "x", vat_rate: 19, starts_on: "2029-11-31", ends_on: "2029-01-01" } });
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.json.errors)).toEqual(expect.arrayContaining(["description", "unit_price", "starts_on"]));
    expect((await items("GET", staff, { id: "999999" })).status).toBe(404);
    expect((await items("GET", staff, { id: "abc" })).status).toBe(404);
    expect((await items("POST", customer, { body: {} })).status).toBe(403);
    const temp = await items("POST", staff, { body: { description: "Einmalig", quantity: 1, unit_price: 1, vat_rate: 19, starts_on: "2029-01-01", ends_on: "2029-01-31" } });
    expect((await items("DELETE", staff, { query: `?item_id=${temp.json.item.id}` })).status).toBe(200);
    expect((await items("DELETE", staff, { query: `?item_id=${temp.json.item.id}` })).status).toBe(404);
    expect((await items("DELETE", staff, { query: "?item_id=null" })).status).toBe(422);
  });
});

describe("preview and run", () => {
  it("previews the run as a German summary, runs it once and then has nothing left", async () => {
    const bad = await call(preview, "GET", "/api/manage/admin/billing/preview?period=2029-13", { token: staff });
    expect(bad.status).toBe(422);
    expect(bad.json.errors.period[0]).toContain("JJJJ-MM");
    const res = await call(preview, "GET", "/api/manage/admin/billing/preview?period=2029-11", { token: staff });
    expect(res.status).toBe(200);
    // 49 + 99 + 29 € tiers, plus 2 × 5 € for 15 of 30 days = 5 €
    expect(res.json.preview).toMatchObject({
      period: "2029-11",
      period_label: "November 2029",
      invoice_count: 3,
      net_total_cents: 18200,
      net_total_label: "182,00 €",
      summary_label: "Rechnungslauf November 2029: 3 Rechnungen, 182,00 € netto",
    });
    const run = await call(runs, "POST", "/api/manage/admin/billing/runs", { token: staff, headers: origin, body: { period: "2029-11" } });
    expect(run.status).toBe(201);
    expect(run.json.run).toMatchObject({ invoice_count: 3, net_total_label: "182,00 €", issued_count: 0 });
    expect(run.json.run.finished_at).toMatch(API_TIMESTAMP_PATTERN);
    const again = await call(runs, "POST", "/api/manage/admin/billing/runs", { token: staff, headers: origin, body: { period: "2029-11" } });
    expect(again.json.run.invoice_count).toBe(0);
    const after = await call(preview, "GET", "/api/manage/admin/billing/preview?period=2029-11", { token: staff });
    expect(after.json.preview).toMatchObject({ invoice_count: 0, already_billed_count: 3 });
    const drafts = await database.db().select().from(invoices).where(eq(invoices.servicePeriodEnd, "2029-11-30"));
    expect(drafts).toHaveLength(3);
    expect(drafts.every((d) => d.issuedAt === null)).toBe(true);
    expect((await call(runs, "POST", "/api/manage/admin/billing/runs", { token: staff, headers: origin, body: {} })).status).toBe(422);
  });
});
