import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { and, eq, isNull } from "drizzle-orm";
import { extractText, getDocumentProxy } from "unpdf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as listRoute } from "@/app/api/manage/invoices/route";
import { GET as detailRoute } from "@/app/api/manage/invoices/[id]/route";
import { GET as pdfRoute } from "@/app/api/manage/invoices/[id]/pdf/route";
import { invoices } from "@/db/schema";
import { getInvoice, listInvoices } from "@/lib/invoices/queries";
import { useTestDatabase } from "../helpers/db";
import { call } from "../helpers/http";
import { callBinary, loginAs } from "./helpers";

const database = useTestDatabase();
let acme: string;
let bergmann: string;

beforeAll(async () => {
  acme = await loginAs("admin@firma.de");
  bergmann = await loginAs("it@bergmann-logistik.de");
});

const list = (query = "", token = acme) => call(listRoute, "GET", `/api/manage/invoices${query}`, { token });

async function idByTitle(title: string) {
  const [row] = await database.db().select({ id: invoices.id }).from(invoices).where(eq(invoices.title, title));
  return row!.id;
}

describe("GET /api/manage/invoices – shape and statistics", () => {
  it("returns the seed's shape exactly", async () => {
    const res = await list();
    expect(res.status).toBe(200);
    expect(Object.keys(res.json).sort()).toEqual(["invoices", "meta", "stats"]);
    for (const invoice of res.json.invoices) {
      expect(invoice).toMatchObject({
        id: expect.any(Number),
        invoice_number: expect.stringMatching(/^RE-\d{4}-\d{4}$/),
        title: expect.any(String),
        status: expect.any(String),
        total_gross: expect.any(Number),
        remaining_amount: expect.any(Number),
        invoice_date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
        due_date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      });
    }
    const licence = res.json.invoices.find((i: { title: string; status: string }) => i.title.startsWith("Monatliche Lizenz") && i.status === "paid");
    // tier prices are net: the Standard licence is 49,00 € + 19 % VAT
    expect(licence.total_gross).toBe(58.31);
    expect(licence.remaining_amount).toBe(0);
    expect(JSON.stringify(licence)).toContain('"total_gross":58.31');
    expect(Object.keys(res.json.stats).filter((k) => !k.endsWith("_formatted")).sort()).toEqual(["open_amount", "open_count", "overdue_count", "paid_count"]);
    expect(res.json.meta).toMatchObject({ current_page: 1, last_page: 1, total: 8 });
  });

  it("statistics agree with the invoices (and the seed's story: 5 paid, 1 open, 1 overdue, 1 partially paid)", async () => {
    const res = await list("?per_page=100");
    const rows = res.json.invoices as { status: string; remaining_amount: number }[];
    const open = rows.filter((r) => ["sent", "partially_paid", "overdue"].includes(r.status));
    expect(res.json.stats.open_count).toBe(open.length);
    expect(res.json.stats.paid_count).toBe(rows.filter((r) => r.status === "paid").length);
    expect(res.json.stats.overdue_count).toBe(rows.filter((r) => r.status === "overdue").length);
    const openCents = open.reduce((sum, r) => sum + Math.round(r.remaining_amount * 100), 0);
    expect(Math.round(res.json.stats.open_amount * 100)).toBe(openCents);
    // 58,31 overdue + 58,31 open + 453,88 − 200,00 partially paid
    expect(res.json.stats).toMatchObject({ open_count: 3, paid_count: 5, overdue_count: 1, open_amount: 370.5, open_amount_formatted: "370,50 €" });
    expect(rows.map((r) => r.status).sort()).toEqual(["overdue", "paid", "paid", "paid", "paid", "paid", "partially_paid", "sent"]);
  });

  it("the status in SQL agrees with deriveStatus() of the detail for every invoice", async () => {
    const res = await list("?per_page=100");
    for (const row of res.json.invoices) {
      const detail = await call(detailRoute, "GET", `/api/manage/invoices/${row.id}`, { token: acme, params: { id: String(row.id) } });
      expect(detail.json.invoice.status).toBe(row.status);
      expect(detail.json.invoice.remaining_amount).toBe(row.remaining_amount);
    }
  });

  it("lists newest first and never shows drafts", async () => {
    const res = await list("?per_page=100");
    const dates = res.json.invoices.map((i: { invoice_date: string }) => i.invoice_date);
    expect([...dates].sort().reverse()).toEqual(dates);
    const [draft] = await database.db().select().from(invoices).where(isNull(invoices.issuedAt));
    expect(draft).toBeDefined();
    expect(res.json.invoices.some((i: { id: number }) => i.id === draft!.id)).toBe(false);
    const detail = await call(detailRoute, "GET", "/api/manage/invoices/{id}", { token: acme, params: { id: String(draft!.id) } });
    expect(detail.status).toBe(404);
    const pdf = await callBinary(pdfRoute, "/x", acme, { id: String(draft!.id) });
    expect(pdf.status).toBe(404);
  });

  it("bergmann sees only its own invoices and statistics", async () => {
    const res = await list("", bergmann);
    expect(res.json.meta.total).toBe(4);
    expect(res.json.stats).toMatchObject({ open_count: 1, paid_count: 3, overdue_count: 0, open_amount: 117.81 });
  });
});

describe("GET /api/manage/invoices – filters", () => {
  it.each([
    ["paid", 5],
    ["sent", 1],
    ["overdue", 1],
    ["partially_paid", 1],
    ["open", 3],
    ["cancelled", 0],
  ])("status=%s → %i invoices, each with that status", async (status, expected) => {
    const res = await list(`?status=${status}`);
    expect(res.status).toBe(200);
    expect(res.json.meta.total).toBe(expected);
    expect(res.json.invoices).toHaveLength(expected);
    for (const invoice of res.json.invoices) {
      if (status === "open") expect(["sent", "partially_paid", "overdue"]).toContain(invoice.status);
      else expect(invoice.status).toBe(status);
    }
    // Statistics always describe all invoices, not the filtered page.
    expect(res.json.stats.paid_count).toBe(5);
  });

  it("an empty status means no filter", async () => {
    const res = await list("?status=");
    expect(res.json.meta.total).toBe(8);
  });

  it.each(["draft", "bezahlt", "PAID"])("status=%s → 422 with a German message", async (status) => {
    const res = await list(`?status=${status}`);
    expect(res.status).toBe(422);
    expect(res.json.errors.status[0]).toMatch(/Unbekannter Status/);
  });

  it("search by invoice number", async () => {
    const all = await list("?per_page=100");
    const target = all.json.invoices[3];
    const res = await list(`?search=${encodeURIComponent(target.invoice_number)}`);
    expect(res.json.invoices.map((i: { id: number }) => i.id)).toEqual([target.id]);
  });

  it("search by title, case-insensitive, combined with a status filter", async () => {
    const res = await list("?search=einrichtung");
    expect(res.json.meta.total).toBe(1);
    expect(res.json.invoices[0].title).toBe("Einrichtung Custom-Domain und Remote-Support");
    expect((await list("?search=Lizenz")).json.meta.total).toBe(7);
    expect((await list("?search=Lizenz&status=paid")).json.meta.total).toBe(5);
    expect((await list("?search=einrichtung&status=paid")).json.meta.total).toBe(0);
  });

  it("treats LIKE wildcards in the search literally", async () => {
    expect((await list("?search=%25")).json.meta.total).toBe(0);
    expect((await list("?search=_")).json.meta.total).toBe(0);
  });

  it("rejects an overlong search with 422", async () => {
    const res = await list(`?search=${"x".repeat(101)}`);
    expect(res.status).toBe(422);
    expect(res.json.errors.search).toBeDefined();
  });

  it("paginates with per_page and page", async () => {
    const first = await list("?per_page=3");
    expect(first.json.invoices).toHaveLength(3);
    expect(first.json.meta).toMatchObject({ current_page: 1, last_page: 3, total: 8 });
    const third = await list("?per_page=3&page=3");
    expect(third.json.invoices).toHaveLength(2);
    expect(third.json.meta.current_page).toBe(3);
    const ids = new Set([...first.json.invoices, ...(await list("?per_page=3&page=2")).json.invoices, ...third.json.invoices].map((i: { id: number }) => i.id));
    expect(ids.size).toBe(8);
    const beyond = await list("?per_page=3&page=9");
    expect(beyond.status).toBe(200);
    expect(beyond.json.invoices).toEqual([]);
  });

  it.each(["per_page=0", "per_page=101", "per_page=abc", "page=0", "page=1.5"])("%s → 422", async (query) => {
    const res = await list(`?${query}`);
    expect(res.status).toBe(422);
    expect(res.json.message).toBeTruthy();
  });
});

describe("GET /api/manage/invoices – sort and year", () => {
  type Row = { id: number; invoice_number: string; invoice_date: string; total_gross: number; due_date: string | null };
  const all = async (query: string) => (await list(`?per_page=100${query}`)).json.invoices as Row[];

  it("sorts by number, amount and date in both directions", async () => {
    const byNumber = (await all("&sort=number&dir=asc")).map((i) => i.invoice_number);
    expect(byNumber).toEqual([...byNumber].sort());
    expect((await all("&sort=number&dir=desc")).map((i) => i.invoice_number)).toEqual([...byNumber].reverse());
    const amounts = (await all("&sort=amount&dir=desc")).map((i) => i.total_gross);
    expect(amounts).toEqual([...amounts].sort((a, b) => b - a));
    expect(new Set(amounts).size).toBeGreaterThan(1);
    const dates = (await all("&sort=date&dir=asc")).map((i) => i.invoice_date);
    expect(dates).toEqual([...dates].sort());
    expect(dates.length).toBe(8);
  });

  it("filters by the year of the invoice date and counts only that year", async () => {
    const everything = await all("");
    const year = Number(everything[0]!.invoice_date.slice(0, 4));
    const expected = everything.filter((i) => i.invoice_date.startsWith(`${year}-`)).map((i) => i.id).sort();
    const res = await list(`?per_page=100&year=${year}`);
    expect(res.json.invoices.map((i: Row) => i.id).sort()).toEqual(expected);
    expect(res.json.meta.total).toBe(expected.length);
    const none = await list("?year=2001");
    expect(none.json.invoices).toEqual([]);
    expect(none.json.meta.total).toBe(0);
    // The statistics still describe all invoices.
    expect(none.json.stats).toEqual(res.json.stats);
  });

  it.each(["sort=betrag", "dir=up", "year=abc", "year=1999", "year=2101"])("%s → 422", async (query) => {
    const res = await list(`?${query}`);
    expect(res.status).toBe(422);
    expect(res.json.errors[query.split("=")[0]]).toBeDefined();
  });
});

describe("GET /api/manage/invoices/{id}", () => {
  it("returns positions, payments, tax breakdown and cent-exact totals", async () => {
    const id = await idByTitle("Einrichtung Custom-Domain und Remote-Support");
    const res = await call(detailRoute, "GET", `/api/manage/invoices/${id}`, { token: acme, params: { id: String(id) } });
    expect(res.status).toBe(200);
    const invoice = res.json.invoice;
    expect(invoice.status).toBe("partially_paid");
    expect(invoice.status_label).toBe("Teilweise bezahlt");
    expect(invoice.items).toHaveLength(3);
    expect(invoice.items[1]).toMatchObject({ position: 2, quantity: 1.5, quantity_formatted: "1,5", unit: "Std.", unit_price: 95, net: 142.5, vat_rate: 19 });
    expect(invoice.items[2]).toMatchObject({ quantity: 3, unit_price: 33.33, net: 99.99, vat_rate: 7, net_formatted: "99,99 €" });
    expect(invoice.tax_breakdown).toEqual([
      expect.objectContaining({ vat_rate: 19, net: 291.5, vat: 55.39, gross: 346.89 }),
      expect.objectContaining({ vat_rate: 7, net: 99.99, vat: 7, gross: 106.99 }),
    ]);
    expect(invoice.totals).toMatchObject({ net: 391.49, vat: 62.39, gross: 453.88, paid: 200, remaining: 253.88, gross_formatted: "453,88 €" });
    expect(invoice.payments).toEqual([expect.objectContaining({ amount: 200, method: "bank_transfer", method_label: "Überweisung" })]);
    expect(invoice.total_gross).toBe(453.88);
    expect(invoice.recipient.company_name).toBe("Acme Corp");
  });

  it("another instance's invoice is 404 and reveals nothing", async () => {
    const id = await idByTitle("Einrichtung Custom-Domain und Remote-Support");
    const res = await call(detailRoute, "GET", "/api/manage/invoices/{id}", { token: bergmann, params: { id: String(id) } });
    expect(res.status).toBe(404);
    expect(res.json).toEqual({ message: "Rechnung nicht gefunden." });
    const pdf = await callBinary(pdfRoute, "/x", bergmann, { id: String(id) });
    expect(pdf.status).toBe(404);
    expect(pdf.headers.get("content-type")).toContain("application/json");
    expect(pdf.bytes.toString()).not.toContain("Einrichtung");
    await expect(getInvoice(2, id)).rejects.toThrow("Rechnung nicht gefunden.");
  });

  it.each(["abc", "0", "-1", "1.5", "99999", "99999999999999"])("id %s → 404", async (id) => {
    const res = await call(detailRoute, "GET", "/api/manage/invoices/{id}", { token: acme, params: { id } });
    expect(res.status).toBe(404);
  });

  it("requires a session (401), an instance (staff → 403) and an active instance (suspended → 403)", async () => {
    expect((await list("", "not-a-token")).status).toBe(401);
    expect((await call(listRoute, "GET", "/api/manage/invoices")).status).toBe(401);
    const staff = await loginAs("msp-admin@myit.center");
    expect((await list("", staff)).status).toBe(403);
    const suspended = await loginAs("info@nordlicht-design.de");
    const res = await list("", suspended);
    expect(res.status).toBe(403);
    expect(res.json.message).toMatch(/gesperrt/);
  });

  it("listInvoices / getInvoice are exported for the v1 API", async () => {
    const instanceId = (await database.db().select({ instanceId: invoices.instanceId }).from(invoices).where(eq(invoices.title, "Einrichtung Custom-Domain und Remote-Support")))[0]!.instanceId;
    const result = await listInvoices(instanceId, { status: "paid", perPage: 2 });
    expect(result.invoices).toHaveLength(2);
    expect(result.meta).toMatchObject({ total: 5, last_page: 3 });
    const detail = await getInvoice(instanceId, result.invoices[0]!.id);
    expect(detail.status).toBe("paid");
  });
});

describe("GET /api/manage/invoices/{id}/pdf", () => {
  let workDir: string;
  beforeAll(() => {
    workDir = mkdtempSync(join(tmpdir(), "invoice-archive-"));
  });
  afterAll(() => rmSync(workDir, { recursive: true, force: true }));

  it("returns the archived German PDF, byte-identical on every download", async () => {
    const id = await idByTitle("Einrichtung Custom-Domain und Remote-Support");
    const first = await callBinary(pdfRoute, `/api/manage/invoices/${id}/pdf`, acme, { id: String(id) });
    expect(first.status, first.bytes.toString("utf8").slice(0, 400)).toBe(200);
    expect(first.headers.get("content-type")).toBe("application/pdf");
    const [row] = await database.db().select().from(invoices).where(and(eq(invoices.id, id)));
    expect(first.headers.get("content-disposition")).toBe(`attachment; filename="${row!.invoiceNumber}.pdf"`);
    expect(first.bytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    expect(row!.pdf?.equals(first.bytes)).toBe(true);

    const second = await callBinary(pdfRoute, `/api/manage/invoices/${id}/pdf?inline=1`, acme, { id: String(id) });
    expect(second.headers.get("content-disposition")).toBe(`inline; filename="${row!.invoiceNumber}.pdf"`);
    expect(second.bytes.equals(first.bytes)).toBe(true);

    // Mandatory content (§14 UStG), read back from the PDF.
    const doc = await getDocumentProxy(new Uint8Array(first.bytes));
    const { text } = await extractText(doc, { mergePages: true });
    const flat = text.replace(/\s+/g, " ");
    for (const expected of [
      "MyIT Center GmbH",
      "Musterstraße 1",
      "10115 Berlin",
      "Steuernummer: 30/123/45678",
      "USt-IdNr.: DE123456789",
      "Acme Corp",
      "Industriestraße 12",
      "70565 Stuttgart",
      `Rechnungsnummer ${row!.invoiceNumber}`,
      "Leistungszeitraum",
      "1,5 Std. 95,00 € 19 % 142,50 €",
      "3 Stück 33,33 € 7 % 99,99 €",
      "Summe netto 391,49 €",
      "Umsatzsteuer 19 % auf 291,50 € 55,39 €",
      "Umsatzsteuer 7 % auf 99,99 € 7,00 €",
      "Gesamtbetrag brutto 453,88 €",
      "Zahlbar innerhalb von 14 Tagen",
      "IBAN: DE89 3704 0044 0532 0130 00",
      "BIC: COBADEFFXXX",
    ]) {
      expect(flat).toContain(expected);
    }

    // Rendering a page to PNG proves the file opens.
    const pdfPath = join(workDir, "archived.pdf");
    writeFileSync(pdfPath, first.bytes);
    execFileSync("pdftoppm", ["-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", pdfPath, join(workDir, "page")]);
    expect(existsSync(join(workDir, "page.png"))).toBe(true);
    const png = readFileSync(join(workDir, "page.png"));
    expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
    expect(png.length).toBeGreaterThan(5000);
  });
});
