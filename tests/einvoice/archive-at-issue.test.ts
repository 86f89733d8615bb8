/**
 * Archived at issue, never rendered again: issuing renders the Factur-X PDF and the profile's XML
 * once and stores them with SHA-256; downloads (customer, staff, ?format=), a later profile change
 * and the database checks never lead to a second render or other bytes.
 */
import { createHash } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { instances, invoiceDocuments, invoices, mailOutbox } from "@/db/schema";
import { systemActor } from "@/lib/activity";
import { updateBillingProfile } from "@/lib/invoices/billing-profile";
import { leitwegCheckDigits, staffProfileBody } from "@/lib/invoices/billing-profile-schemas";
import { issueInvoice } from "@/lib/invoices/commands";
import { createDraft } from "@/lib/invoices/drafts";
import { getEInvoice, getEInvoiceForStaff } from "@/lib/invoices/einvoice/service";
import { getInvoicePdf, getInvoicePdfForStaff } from "@/lib/invoices/pdf-archive";
import { draftSchema } from "@/lib/invoices/schemas";
import { seedInvoices } from "@/db/seed-invoices";
import { useTestDatabase } from "../helpers/db";

const renders = vi.hoisted(() => ({ pdf: 0, xml: 0 }));

vi.mock("@/lib/invoices/pdf", async (original) => {
  const mod = await original<typeof import("@/lib/invoices/pdf")>();
  return { ...mod, renderInvoicePdf: (...args: Parameters<typeof mod.renderInvoicePdf>) => (renders.pdf++, mod.renderInvoicePdf(...args)) };
});
vi.mock("@/lib/invoices/einvoice/generate", async (original) => {
  const mod = await original<typeof import("@/lib/invoices/einvoice/generate")>();
  return {
    ...mod,
    renderCii: (...args: Parameters<typeof mod.renderCii>) => (renders.xml++, mod.renderCii(...args)),
    renderXRechnungUbl: (...args: Parameters<typeof mod.renderXRechnungUbl>) => (renders.xml++, mod.renderXRechnungUbl(...args)),
  };
});

const database = useTestDatabase();
const actor = systemActor("billing");
const sha = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");
let bergmann: number;
let id: number;

const BERGMANN = {
  legal_name: "Bergmann Logistik GmbH",
  street: "Hafenweg 3",
  post_code: "28197",
  city: "Bremen",
  country_code: "DE",
  vat_id: "DE811234567",
  invoice_emails: ["rechnungseingang@bergmann-logistik.de"],
  einvoice_format: "xrechnung_ubl",
};

beforeAll(async () => {
  const [row] = await database.db().select({ id: instances.id }).from(instances).where(eq(instances.name, "bergmann"));
  bergmann = row!.id;
  const draft = await createDraft(
    actor,
    draftSchema.parse({
      instance_id: bergmann,
      title: "Managed Services Oktober 2026",
      service_period_start: "2026-10-01",
      service_period_end: "2026-10-31",
      items: [{ description: "Manage-Portal Lizenz „Professional“", quantity: 1, unit: "Monat", unit_price: "99,00", vat_rate: 19 }],
    }),
  );
  renders.pdf = 0;
  renders.xml = 0;
  id = (await issueInvoice(actor, { invoiceId: draft.id })).id;
});

describe("archived at issue", () => {
  it("issuing renders the PDF once and stores PDF and XML with their SHA-256 in the same transaction", async () => {
    expect(renders.pdf).toBe(1);
    // EN 16931 CII for the Factur-X container, XRechnung UBL (the profile's), the XRechnung CII is the same render as the container's CII here
    expect(renders.xml).toBeGreaterThanOrEqual(2);
    const [row] = await database.db().select().from(invoices).where(eq(invoices.id, id));
    expect(row!.pdf).toBeTruthy();
    expect(row!.pdfSha256).toBe(sha(row!.pdf!));
    const docs = await database.db().select().from(invoiceDocuments).where(eq(invoiceDocuments.invoiceId, id));
    expect(docs.map((d) => d.kind).sort()).toEqual(["cii_xml", "xrechnung_xml"]);
    for (const doc of docs) expect(doc.sha256).toBe(sha(doc.bytes));
    expect(docs.find((d) => d.kind === "xrechnung_xml")!.bytes.toString("utf8")).toContain("<cbc:BuyerReference>04011000-1234512345-06</cbc:BuyerReference>");
  });

  it("downloads and the mail serve the stored bytes; a profile change after issue renders nothing and changes nothing", async () => {
    const [stored] = await database.db().select().from(invoices).where(eq(invoices.id, id));
    const docs = await database.db().select().from(invoiceDocuments).where(eq(invoiceDocuments.invoiceId, id));
    const xrechnung = docs.find((d) => d.kind === "xrechnung_xml")!;
    renders.pdf = 0;
    renders.xml = 0;
    await updateBillingProfile(actor, { ...staffProfileBody.parse({ ...BERGMANN, leitweg_id: `991-99999-${leitwegCheckDigits("99199999")}`, einvoice_format: "facturx" }), instance_id: bergmann });

    const pdf = await getInvoicePdf(bergmann, id);
    expect(pdf.bytes.equals(stored!.pdf!)).toBe(true);
    expect(sha(pdf.bytes)).toBe(stored!.pdfSha256);
    expect((await getInvoicePdfForStaff(id)).bytes.equals(stored!.pdf!)).toBe(true);
    expect((await getEInvoice(bergmann, id, { format: "facturx" })).bytes.equals(stored!.pdf!)).toBe(true);
    // Default: the XML of the profile frozen on the invoice (XRechnung UBL), not the changed profile's.
    const xml = await getEInvoice(bergmann, id);
    expect(xml.kind).toBe("xrechnung_xml");
    expect(sha(xml.bytes)).toBe(xrechnung.sha256);
    expect(sha((await getEInvoiceForStaff(id, { format: "cii" })).bytes)).toBe(docs.find((d) => d.kind === "cii_xml")!.sha256);
    expect(renders).toEqual({ pdf: 0, xml: 0 });

    const mails = await database.db().select().from(mailOutbox);
    const attachments = mails.flatMap((m) => m.attachments ?? []).filter((a) => a.filename.includes(stored!.invoiceNumber!));
    expect(attachments.length).toBeGreaterThan(0);
    const pdfs = attachments.filter((a) => a.filename.endsWith(".pdf"));
    const xmls = attachments.filter((a) => a.filename.endsWith("-xrechnung.xml"));
    expect(pdfs.length).toBeGreaterThan(0);
    expect(xmls).toHaveLength(pdfs.length);
    for (const a of pdfs) expect(Buffer.from(a.content!, "base64").equals(stored!.pdf!)).toBe(true);
    for (const a of xmls) expect(sha(Buffer.from(a.content!, "base64"))).toBe(xrechnung.sha256);
  });

  it("seeded invoices get archived files too (the demo seed), and downloading them renders nothing", async () => {
    const db = database.db();
    await seedInvoices(db, undefined, { archive: true });
    const issued = await db.select().from(invoices).where(sql`issued_at is not null`);
    expect(issued.length).toBeGreaterThan(10);
    for (const row of issued) {
      expect(row.pdf, row.invoiceNumber!).toBeTruthy();
      expect(row.pdfSha256).toBe(sha(row.pdf!));
    }
    const docs = await db.select({ invoiceId: invoiceDocuments.invoiceId, kind: invoiceDocuments.kind }).from(invoiceDocuments);
    for (const row of issued) expect(docs.some((d) => d.invoiceId === row.id)).toBe(true);
    renders.pdf = 0;
    renders.xml = 0;
    for (const row of issued) {
      expect((await getInvoicePdfForStaff(row.id)).bytes.equals(row.pdf!)).toBe(true);
      await getEInvoiceForStaff(row.id);
    }
    expect(renders).toEqual({ pdf: 0, xml: 0 });
  });

  it("the database refuses replacing the files and checksums that do not match the bytes", async () => {
    const db = database.db();
    await expect(db.execute(sql`update invoice_documents set sha256 = 'x' where invoice_id = ${id}`)).rejects.toThrow();
    const [draft] = await db.select({ id: invoices.id }).from(invoices).where(sql`issued_at is null`).limit(1);
    await expect(db.insert(invoiceDocuments).values({ invoiceId: draft!.id, kind: "cii_xml", bytes: Buffer.from("<x/>"), sha256: "0".repeat(64) })).rejects.toThrow();
    await expect(db.insert(invoiceDocuments).values({ invoiceId: draft!.id, kind: "odd" as never, bytes: Buffer.from("<x/>"), sha256: sha(Buffer.from("<x/>")) })).rejects.toThrow();
  });
});
