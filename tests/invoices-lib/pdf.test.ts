import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { extractText, getDocumentProxy } from "unpdf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { calculateInvoice, negateItems } from "@/lib/invoices/calc";
import { InvoicePdfError, renderInvoicePdf, resolveDueDate, REVERSE_CHARGE_NOTE } from "@/lib/invoices/pdf";
import { ISSUER, SAMPLE_ITEMS, sampleInvoice } from "@/tests/invoices-lib/fixtures";
import { makeLogoPng, pngSize } from "@/tests/invoices-lib/png";

const normalize = (text: string) => text.replace(/\s+/g, " ").trim();

async function pdfText(pdf: Buffer): Promise<{ all: string; pages: string[] }> {
  const doc = await getDocumentProxy(new Uint8Array(pdf));
  const { text } = await extractText(doc, { mergePages: false });
  const pages = text.map(normalize);
  return { all: pages.join(" "), pages };
}

let workDir: string;
beforeAll(() => {
  workDir = mkdtempSync(join(tmpdir(), "invoice-pdf-"));
});
afterAll(() => {
  rmSync(workDir, { recursive: true, force: true });
});

describe("renderInvoicePdf – mandatory content (§14 UStG)", () => {
  let pdf: Buffer;
  let text: string;

  beforeAll(async () => {
    pdf = await renderInvoicePdf(sampleInvoice({ notes: "Bitte beachten Sie unsere neuen Supportzeiten." }), ISSUER);
    text = (await pdfText(pdf)).all;
  });

  it("is a PDF", () => {
    expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    expect(pdf.length).toBeGreaterThan(2000);
  });

  it.each([
    ["issuer name", "Nordlicht IT-Services GmbH"],
    ["issuer street", "Hafenstraße 12"],
    ["issuer city", "20457 Hamburg"],
    ["issuer tax number", "Steuernummer: 27/123/45678"],
    ["issuer VAT id", "USt-IdNr.: DE298765432"],
    ["recipient company", "Bäckerei Müller & Söhne KG"],
    ["recipient contact", "Frau Özlem Schäfer"],
    ["recipient street", "Lindenallee 7"],
    ["recipient city", "22767 Hamburg"],
    ["invoice number", "Rechnungsnummer RE-2026-00042"],
    ["invoice date", "Rechnungsdatum 03.02.2026"],
    ["service period", "Leistungszeitraum 01.01.2026 – 31.01.2026"],
    ["item 1 with quantity, unit, unit price, rate, net", "1 Managed Workplace – Arbeitsplatzpauschale 3 Stück 33,33 € 19 % 99,99 €"],
    ["item 2", "2 Fachbücher IT-Sicherheit 3 Stück 33,33 € 7 % 99,99 €"],
    ["item 3 decimal quantity", "1,5 Std. 95,00 € 19 % 142,50 €"],
    ["net total", "Summe netto 342,48 €"],
    ["net at 19 %", "Nettobetrag 19 % 242,49 €"],
    ["VAT at 19 %", "Umsatzsteuer 19 % auf 242,49 € 46,07 €"],
    ["net at 7 %", "Nettobetrag 7 % 99,99 €"],
    ["VAT at 7 %", "Umsatzsteuer 7 % auf 99,99 € 7,00 €"],
    ["gross total", "Gesamtbetrag brutto 395,55 €"],
    ["payment terms", "Zahlbar innerhalb von 14 Tagen ohne Abzug bis zum 17.02.2026"],
    ["due date", "Fällig am 17.02.2026"],
    ["IBAN", "IBAN: DE89 3704 0044 0532 0130 00"],
    ["BIC", "BIC: COBADEFFXXX"],
    ["account holder", "Kontoinhaber: Nordlicht IT-Services GmbH"],
    ["notes", "Bitte beachten Sie unsere neuen Supportzeiten."],
    ["page number", "Seite 1 von 1"],
  ])("contains %s", (_label, expected) => {
    expect(text).toContain(expected);
  });

  it("has no reverse-charge note on a normal invoice", () => {
    expect(text).not.toContain("Reverse Charge");
  });

  it("totals in the PDF match the calculation (3 × 33,33 € at 19 % and 7 %)", () => {
    const calc = calculateInvoice(SAMPLE_ITEMS);
    expect(calc.totals).toEqual({ net_cents: 34248, vat_cents: 5307, gross_cents: 39555 });
  });

  it("sets document metadata from the invoice, not from the clock", () => {
    const raw = pdf.toString("latin1");
    expect(raw).toContain("(D:20260203120000Z)");
    expect(raw).toContain("(Rechnung RE-2026-00042)");
    expect(raw).toContain("(Nordlicht IT-Services GmbH)"); // author
  });

  it("re-rendering the same data gives identical bytes", async () => {
    const again = await renderInvoicePdf(sampleInvoice({ notes: "Bitte beachten Sie unsere neuen Supportzeiten." }), ISSUER);
    expect(again.equals(pdf)).toBe(true);
    const other = await renderInvoicePdf(sampleInvoice({ notes: "Bitte beachten Sie unsere neuen Supportzeiten.", invoice_date: "2026-02-04" }), ISSUER);
    expect(other.equals(pdf)).toBe(false);
  });

  it("renders page 1 to PNG with pdftoppm (proves the file opens)", () => {
    const pdfPath = join(workDir, "invoice.pdf");
    writeFileSync(pdfPath, pdf);
    execFileSync("pdftoppm", ["-png", "-r", "100", "-f", "1", "-l", "1", "-singlefile", pdfPath, join(workDir, "page1")]);
    const pngPath = join(workDir, "page1.png");
    expect(existsSync(pngPath)).toBe(true);
    const png = readFileSync(pngPath);
    expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
    expect(statSync(pngPath).size).toBeGreaterThan(20_000); // a blank A4 page compresses to a few KB
    const { width, height } = pngSize(png);
    expect(width).toBeGreaterThanOrEqual(825); // A4 at 100 dpi: 827 × 1169/1170
    expect(width).toBeLessThanOrEqual(828);
    expect(height).toBeGreaterThanOrEqual(1168);
    expect(height).toBeLessThanOrEqual(1171);
  });
});

describe("renderInvoicePdf – multi-page", () => {
  const items = Array.from({ length: 60 }, (_, i) => ({
    description: `Wartung Server SRV-${String(i + 1).padStart(3, "0")}`,
    quantity: (i % 4) + 1,
    unit: "Std.",
    unit_price_cents: 8950 + i,
    vat_rate: 1900,
  }));
  let pages: string[];
  let pdf: Buffer;

  beforeAll(async () => {
    pdf = await renderInvoicePdf(sampleInvoice({}, items), ISSUER);
    pages = (await pdfText(pdf)).pages;
  });

  it("spans several pages with 'Seite n von N' on each", () => {
    expect(pages.length).toBeGreaterThanOrEqual(2);
    pages.forEach((page, i) => {
      expect(page).toContain(`Seite ${i + 1} von ${pages.length}`);
    });
  });

  it("repeats the page header, table header and footer on every page", () => {
    for (const page of pages) {
      expect(page.startsWith("Nordlicht IT-Services GmbH Rechnung RE-2026-00042 vom 03.02.2026")).toBe(true);
      expect(page).toContain("Pos. Beschreibung Menge Einheit Einzelpreis USt. Netto");
      expect(page).toContain("IBAN: DE89 3704 0044 0532 0130 00");
    }
  });

  it("prints every item exactly once and the totals on the last page", () => {
    const all = pages.join(" ");
    for (let i = 1; i <= 60; i++) {
      const desc = `Wartung Server SRV-${String(i).padStart(3, "0")}`;
      expect(all.split(desc).length - 1).toBe(1);
    }
    const calc = calculateInvoice(items);
    const grossText = `Gesamtbetrag brutto ${new Intl.NumberFormat("de-DE", { minimumFractionDigits: 2 }).format(calc.totals.gross_cents / 100)} €`;
    expect(pages.at(-1)).toContain(grossText);
    expect(pages.slice(0, -1).some((p) => p.includes("Gesamtbetrag brutto"))).toBe(false);
  });

  it("every page renders to PNG", () => {
    const pdfPath = join(workDir, "long.pdf");
    writeFileSync(pdfPath, pdf);
    execFileSync("pdftoppm", ["-png", "-r", "40", pdfPath, join(workDir, "long")]);
    const width = String(pages.length).length;
    for (let i = 1; i <= pages.length; i++) {
      expect(existsSync(join(workDir, `long-${String(i).padStart(width, "0")}.png`))).toBe(true);
    }
  });
});

describe("renderInvoicePdf – special cases", () => {
  it("reverse charge: note, 0 % VAT and the recipient's VAT id", async () => {
    const rcItems = SAMPLE_ITEMS.map((i) => ({ ...i, vat_rate: 0 }));
    const data = sampleInvoice(
      {
        reverse_charge: true,
        recipient: { company_name: "Fjord Consulting AS", address_lines: ["Storgata 1", "0155 Oslo", "Norwegen"], vat_id: "ATU12345678" },
      },
      rcItems,
    );
    const { all } = await pdfText(await renderInvoicePdf(data, ISSUER));
    expect(all).toContain(REVERSE_CHARGE_NOTE);
    expect(all).toContain("Steuerschuldnerschaft des Leistungsempfängers (Reverse Charge)");
    expect(all).toContain("Umsatzsteuer 0 % auf 342,48 € 0,00 €");
    expect(all).toContain("Gesamtbetrag brutto 342,48 €");
    expect(all).toContain("Ihre USt-IdNr. ATU12345678");
  });

  it("reverse charge needs the recipient's VAT id and 0 % VAT", async () => {
    const rcItems = SAMPLE_ITEMS.map((i) => ({ ...i, vat_rate: 0 }));
    await expect(renderInvoicePdf(sampleInvoice({ reverse_charge: true }, rcItems), ISSUER)).rejects.toThrow(InvoicePdfError);
    const withVat = sampleInvoice({ recipient: { company_name: "X GmbH", address_lines: ["A"], vat_id: "ATU1" } });
    await expect(renderInvoicePdf({ ...withVat, reverse_charge: true }, ISSUER)).rejects.toThrow(/0 % VAT/);
  });

  it("credit note (Stornorechnung) references the original and shows negative amounts", async () => {
    const data = sampleInvoice(
      { kind: "credit_note", invoice_number: "RE-2026-00057", cancels_invoice_number: "RE-2026-00042", cancels_invoice_date: "2026-02-03" },
      negateItems(SAMPLE_ITEMS),
    );
    const { all } = await pdfText(await renderInvoicePdf(data, ISSUER));
    expect(all).toContain("Stornorechnung RE-2026-00057");
    expect(all).toContain("Rechnungsnummer RE-2026-00057");
    expect(all).not.toMatch(/\w- \w/); // no hyphenated line breaks
    expect(all).toContain("Die folgenden Beträge werden Ihnen gutgeschrieben.");
    expect(all).toContain("Zu Rechnung RE-2026-00042");
    expect(all).toContain("Hiermit stornieren wir die Rechnung Nr. RE-2026-00042 vom 03.02.2026");
    expect(all).toContain("-3 Stück 33,33 € 19 % -99,99 €");
    expect(all).toContain("Umsatzsteuer 19 % auf -242,49 € -46,07 €");
    expect(all).toContain("Gesamtbetrag brutto -395,55 €");
    expect(all).not.toContain("Zahlbar innerhalb");
  });

  it("a credit note must reference the original invoice", async () => {
    const data = sampleInvoice({ kind: "credit_note" }, negateItems(SAMPLE_ITEMS));
    await expect(renderInvoicePdf(data, ISSUER)).rejects.toThrow(/cancels_invoice_number/);
  });

  it("single service date and explicit due date", async () => {
    const data = sampleInvoice({ service_period_start: "2026-01-20", service_period_end: "2026-01-20", due_date: "2026-03-05" });
    expect(resolveDueDate(data, ISSUER)).toBe("2026-03-05");
    const { all } = await pdfText(await renderInvoicePdf(data, ISSUER));
    expect(all).toContain("Leistungsdatum 20.01.2026");
    expect(all).toContain("Zahlbar innerhalb von 30 Tagen ohne Abzug bis zum 05.03.2026");
  });

  it("prints only the configured tax identifier", async () => {
    const { all } = await pdfText(await renderInvoicePdf(sampleInvoice(), { ...ISSUER, vat_id: null }));
    expect(all).toContain("Steuernummer: 27/123/45678");
    expect(all).not.toContain("USt-IdNr.:");
  });

  it("rejects an issuer without tax number and VAT id", async () => {
    await expect(renderInvoicePdf(sampleInvoice(), { ...ISSUER, tax_number: null, vat_id: "" })).rejects.toThrow(/tax number or VAT id/);
  });

  it("rejects totals that do not add up", async () => {
    const data = sampleInvoice();
    await expect(renderInvoicePdf({ ...data, totals: { ...data.totals, gross_cents: data.totals.gross_cents + 1 } }, ISSUER)).rejects.toThrow(
      InvoicePdfError,
    );
    await expect(renderInvoicePdf({ ...data, breakdown: data.breakdown.slice(1) }, ISSUER)).rejects.toThrow(InvoicePdfError);
  });

  it("embeds the configured logo, deterministically", async () => {
    const logoPath = join(workDir, "logo.png");
    writeFileSync(logoPath, makeLogoPng());
    const issuer = { ...ISSUER, logo_path: logoPath };
    const withLogo = await renderInvoicePdf(sampleInvoice(), issuer);
    const without = await renderInvoicePdf(sampleInvoice(), ISSUER);
    expect(withLogo.toString("latin1")).toContain("/Subtype /Image");
    expect(without.toString("latin1")).not.toContain("/Subtype /Image");
    expect((await renderInvoicePdf(sampleInvoice(), issuer)).equals(withLogo)).toBe(true);
    const { all } = await pdfText(withLogo);
    expect(all).toContain("Nordlicht IT-Services GmbH");
    const pdfPath = join(workDir, "logo.pdf");
    writeFileSync(pdfPath, withLogo);
    execFileSync("pdftoppm", ["-png", "-r", "100", "-f", "1", "-l", "1", "-singlefile", pdfPath, join(workDir, "logo-page1")]);
    expect(statSync(join(workDir, "logo-page1.png")).size).toBeGreaterThan(20_000);
  });

  it("fails clearly for a missing or unsupported logo", async () => {
    await expect(renderInvoicePdf(sampleInvoice(), { ...ISSUER, logo_path: join(workDir, "missing.png") })).rejects.toThrow(/Logo not readable/);
    const bogus = join(workDir, "logo.gif");
    writeFileSync(bogus, "GIF89a");
    await expect(renderInvoicePdf(sampleInvoice(), { ...ISSUER, logo_path: bogus })).rejects.toThrow(/PNG or JPEG/);
  });
});
