import { and, eq, isNotNull, isNull } from "drizzle-orm";
import JSZip from "jszip";
import { beforeAll, describe, expect, it } from "vitest";
import { GET as archiveRoute } from "@/app/api/manage/invoices/archive/route";
import { GET as pdfRoute } from "@/app/api/manage/invoices/[id]/pdf/route";
import { instances, invoices } from "@/db/schema";
import { pdfFilename } from "@/lib/invoices/pdf-filename";
import { useTestDatabase } from "../helpers/db";
import { call } from "../helpers/http";
import { callBinary, loginAs } from "./helpers";

const database = useTestDatabase();
let acme: string;

beforeAll(async () => {
  acme = await loginAs("admin@firma.de");
});

async function issuedOf(instanceName: string) {
  const db = database.db();
  const [instance] = await db.select().from(instances).where(eq(instances.name, instanceName));
  return db
    .select({ id: invoices.id, number: invoices.invoiceNumber, date: invoices.invoiceDate })
    .from(invoices)
    .where(and(eq(invoices.instanceId, instance.id), isNotNull(invoices.issuedAt)));
}

describe("GET /api/manage/invoices/archive", () => {
  it("zips exactly the year's PDFs of the instance, byte-identical to the single downloads", async () => {
    const own = await issuedOf("acme");
    const year = Number(own[0]!.date!.slice(0, 4));
    const expected = own.filter((i) => i.date!.startsWith(`${year}-`));
    expect(expected.length).toBeGreaterThan(0);

    const res = await callBinary(archiveRoute, `/api/manage/invoices/archive?year=${year}`, acme, {});
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/zip");
    expect(res.headers.get("content-disposition")).toBe(`attachment; filename="Rechnungen-${year}.zip"`);
    const zip = await JSZip.loadAsync(res.bytes);
    const names = Object.keys(zip.files).sort();
    expect(names).toEqual(expected.map((i) => pdfFilename(i.number!)).sort());

    for (const invoice of expected) {
      const single = await callBinary(pdfRoute, `/api/manage/invoices/${invoice.id}/pdf`, acme, { id: String(invoice.id) });
      expect(single.status).toBe(200);
      const entry = await zip.file(pdfFilename(invoice.number!))!.async("nodebuffer");
      expect(entry.equals(single.bytes)).toBe(true);
    }
    // Drafts and other instances' invoices of the same year stay out.
    const others = [...(await issuedOf("bergmann")), ...(await issuedOf("nordlicht"))].filter((i) => i.date?.startsWith(`${year}-`));
    const drafts = await database.db().select({ number: invoices.invoiceNumber }).from(invoices).where(isNull(invoices.issuedAt));
    for (const other of [...others, ...drafts]) {
      if (other.number) expect(names).not.toContain(pdfFilename(other.number));
    }
  }, 120_000);

  it("answers 404 with a German message for a year without invoices", async () => {
    const res = await call(archiveRoute, "GET", "/api/manage/invoices/archive?year=2001", { token: acme });
    expect(res.status).toBe(404);
    expect(res.json.message).toBe("Für 2001 gibt es keine Rechnungen.");
  });

  it.each(["", "?year=", "?year=abc", "?year=1999", "?year=2026.5", "?year=99999"])("%s → 422", async (query) => {
    const res = await call(archiveRoute, "GET", `/api/manage/invoices/archive${query}`, { token: acme });
    expect(res.status).toBe(422);
    expect(res.json.errors.year).toBeDefined();
  });

  it("requires a session (401) and an instance (staff → 403)", async () => {
    expect((await call(archiveRoute, "GET", "/api/manage/invoices/archive?year=2026")).status).toBe(401);
    const staff = await loginAs("msp-admin@myit.center");
    expect((await call(archiveRoute, "GET", "/api/manage/invoices/archive?year=2026", { token: staff })).status).toBe(403);
  });
});
