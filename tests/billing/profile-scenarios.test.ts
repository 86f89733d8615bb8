/**
 * The money-correctness scenarios of billing profiles, on the demo data seeded on 31 December 2026
 * (acme and bergmann already hold manual December licence invoices, acme a January draft):
 * - the recipient comes from the billing profile, never from the instance's last invoice;
 * - a billing run never bills a month a manual invoice already covers without staff deciding;
 * - tier prices are net: seeded licences and run invoices charge the same net and gross.
 */
import { and, eq, like } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { billingPeriods, instances, invoices, pricingTiers } from "@/db/schema";
import { systemActor } from "@/lib/activity";
import { useFixedClock } from "@/lib/billing/clock";
import { executeBillingRun, previewBillingRun } from "@/lib/billing/run";
import { createDraft } from "@/lib/invoices/drafts";
import { issueInvoice } from "@/lib/invoices/commands";
import { draftSchema } from "@/lib/invoices/schemas";
import { useTestDatabase } from "../helpers/db";

const database = useTestDatabase({ seedAt: "2026-12-31T12:00:00Z" });
const actor = systemActor("billing");
let clock: ReturnType<typeof useFixedClock>;
let ids: Record<string, number>;

async function runInvoice(instanceId: number, periodStart: string) {
  const [row] = await database
    .db()
    .select()
    .from(invoices)
    .where(and(eq(invoices.instanceId, instanceId), eq(invoices.servicePeriodStart, periodStart), like(invoices.title, "Abrechnung %")));
  return row;
}

beforeAll(async () => {
  const rows = await database.db().select({ id: instances.id, name: instances.name }).from(instances);
  ids = Object.fromEntries(rows.map((r) => [r.name, r.id]));
  clock = useFixedClock("2027-02-03T08:00:00Z");
});
afterAll(() => clock.reset());

describe("never billed twice", () => {
  it("the preview shows the December invoices acme and bergmann already have, and the run leaves them to staff", async () => {
    const preview = await previewBillingRun("2026-12");
    const byName = Object.fromEntries(preview.invoices.map((i) => [i.instance_name, i]));
    expect(byName.acme!.conflicts).toEqual([
      expect.objectContaining({ title: "Monatliche Lizenz Dezember 2026", service_period: "01.12.2026–31.12.2026", covered_lines: ["Tarif Standard (Dezember 2026)"] }),
    ]);
    expect(byName.bergmann!.conflicts).toHaveLength(1);
    expect(byName.nordlicht!.conflicts).toEqual([]);
    expect(preview).toMatchObject({ conflict_count: 2, invoice_count: 1 });

    const run = await executeBillingRun(actor, { period: "2026-12" });
    expect(run).toMatchObject({ invoice_count: 1, conflict_count: 2 });
    expect(await runInvoice(ids.acme!, "2026-12-01")).toBeUndefined();
    expect(await runInvoice(ids.bergmann!, "2026-12-01")).toBeUndefined();
    expect(await runInvoice(ids.nordlicht!, "2026-12-01")).toBeDefined();
    // still open for staff: nothing was claimed for the conflicting instances
    expect((await previewBillingRun("2026-12")).conflict_count).toBe(2);
  });

  it("bills a conflicting instance only on staff's decision, and a skip counts the period as billed", async () => {
    const run = await executeBillingRun(actor, { period: "2026-12", decisions: { [ids.bergmann!]: "bill", [ids.acme!]: "skip" } });
    expect(run).toMatchObject({ invoice_count: 1, conflict_count: 0 });
    expect(await runInvoice(ids.bergmann!, "2026-12-01")).toBeDefined();
    expect(await runInvoice(ids.acme!, "2026-12-01")).toBeUndefined();
    const [acmeClaim] = await database
      .db()
      .select()
      .from(billingPeriods)
      .where(and(eq(billingPeriods.instanceId, ids.acme!), eq(billingPeriods.periodStart, "2026-12-01")));
    expect(acmeClaim).toMatchObject({ invoiceId: null });
    expect(await previewBillingRun("2026-12")).toMatchObject({ invoice_count: 0, conflict_count: 0, invoices: [] });
  });
});

describe("recipient from the billing profile", () => {
  it("a one-off recipient on a manual invoice does not become the next run invoice's recipient", async () => {
    const draft = await createDraft(
      actor,
      draftSchema.parse({
        instance_id: ids.bergmann,
        title: "Schulung für die Spedition Meyer",
        service_period_start: "2027-01-10",
        service_period_end: "2027-01-10",
        recipient: { company_name: "Spedition Meyer AG", address_lines: ["Kaiserstraße 1", "60311 Frankfurt am Main"], vat_id: "DE999999999" },
        items: [{ description: "Schulung", quantity: 1, unit: "Pauschale", unit_price: "400,00", vat_rate: 19 }],
      }),
    );
    await issueInvoice(actor, { invoiceId: draft.id, invoiceDate: "2027-01-11", sendMail: false });

    await executeBillingRun(actor, { period: "2027-02" });
    const next = await runInvoice(ids.bergmann!, "2027-02-01");
    expect(next!.recipient).toMatchObject({
      company_name: "Bergmann Logistik GmbH",
      vat_id: "DE811234567",
      leitweg_id: "04011000-1234512345-06",
      address: { street: "Hafenweg 3", post_code: "28197", city: "Bremen", country_code: "DE" },
      address_lines: ["Hafenweg 3", "Rechnungseingang", "28197 Bremen"],
    });
    const [override] = await database.db().select({ recipient: invoices.recipient }).from(invoices).where(eq(invoices.id, draft.id));
    expect(override!.recipient.company_name).toBe("Spedition Meyer AG");
  });
});

describe("one truth for net and gross", () => {
  it("tier prices are net: a seeded licence and the run's invoice for the same tier charge the same net, VAT and gross", async () => {
    const [standard] = await database.db().select().from(pricingTiers).where(eq(pricingTiers.key, "standard"));
    const [seeded] = await database
      .db()
      .select()
      .from(invoices)
      .where(and(eq(invoices.instanceId, ids.acme!), eq(invoices.title, "Monatliche Lizenz November 2026")));
    const run = await runInvoice(ids.acme!, "2027-02-01");
    expect(standard!.monthlyPriceCents).toBe(4900);
    expect({ net: seeded!.netCents, vat: seeded!.vatCents, gross: seeded!.grossCents }).toEqual({ net: 4900, vat: 931, gross: 5831 });
    expect({ net: run!.netCents, vat: run!.vatCents, gross: run!.grossCents }).toEqual({ net: 4900, vat: 931, gross: 5831 });
  });

  it("the preview shows net, VAT and gross of every invoice before anything is issued", async () => {
    const preview = await previewBillingRun("2027-03");
    const byName = Object.fromEntries(preview.invoices.map((i) => [i.instance_name, i]));
    expect(byName.acme).toMatchObject({ net_label: "49,00 €", vat_label: "9,31 €", gross_label: "58,31 €" });
    // Vienna, reverse charge: no German VAT
    expect(byName.nordlicht).toMatchObject({ net_label: "29,00 €", vat_label: "0,00 €", gross_label: "29,00 €" });
    expect(preview).toMatchObject({ net_total_label: "177,00 €", gross_total_label: "205,12 €" });
  });
});
