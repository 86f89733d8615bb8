import { todayIsoDate } from "@/lib/time";
import { eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { POST as createDraft } from "@/app/api/manage/admin/invoices/route";
import { POST as issue } from "@/app/api/manage/admin/invoices/[id]/issue/route";
import { instances, invoiceNumberCounters, invoices } from "@/db/schema";

import { allocateInvoiceNumber, formatInvoiceNumber } from "@/lib/invoices/numbering";
import { useTestDatabase, usingPostgres } from "../helpers/db";
import { call } from "../helpers/http";
import { draftBody, loginAs } from "./helpers";

const database = useTestDatabase();
const origin = { origin: "http://localhost:3000" };

describe(`invoice numbers (${usingPostgres ? "PostgreSQL" : "PGlite"})`, () => {
  it("formats RE-YYYY-NNNN", () => {
    expect(formatInvoiceNumber(2026, 1)).toBe("RE-2026-0001");
    expect(formatInvoiceNumber(2026, 12345)).toBe("RE-2026-12345");
  });

  it("10 invoices issued at the same moment get 10 distinct, consecutive numbers", async () => {
    const staff = await loginAs("msp-admin@myit.center");
    const [acme] = await database.db().select({ id: instances.id }).from(instances).where(eq(instances.name, "acme"));
    const ids: number[] = [];
    for (let i = 0; i < 10; i++) {
      const res = await call(createDraft, "POST", "/api/manage/admin/invoices", { token: staff, body: draftBody(acme!.id, { title: `Parallel ${i}` }), headers: origin });
      ids.push(res.json.invoice.id);
    }
    const year = Number(todayIsoDate().slice(0, 4));
    const [counter] = await database.db().select().from(invoiceNumberCounters).where(eq(invoiceNumberCounters.year, year));
    const start = counter?.lastNumber ?? 0;

    const results = await Promise.all(
      ids.map((id) => call(issue, "POST", `/api/manage/admin/invoices/${id}/issue`, { token: staff, params: { id: String(id) }, headers: origin })),
    );
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(200));
    const numbers = results.map((r) => r.json.invoice.invoice_number as string).sort();
    expect(new Set(numbers).size).toBe(10);
    expect(numbers).toEqual(Array.from({ length: 10 }, (_, i) => formatInvoiceNumber(year, start + i + 1)));
    const rows = await database.db().select().from(invoices).where(inArray(invoices.id, ids));
    expect(rows.every((r) => r.pdf && r.pdf.length > 1000)).toBe(true);
  });

  it("a rolled-back allocation gives its number back (no gaps)", async () => {
    const db = database.db();
    const year = 2031;
    await db.transaction(async (tx) => {
      expect(await allocateInvoiceNumber(tx, year)).toBe("RE-2031-0001");
    });
    await expect(
      db.transaction(async (tx) => {
        expect(await allocateInvoiceNumber(tx, year)).toBe("RE-2031-0002");
        throw new Error("PDF kaputt");
      }),
    ).rejects.toThrow("PDF kaputt");
    await db.transaction(async (tx) => {
      expect(await allocateInvoiceNumber(tx, year)).toBe("RE-2031-0002");
    });
  });

  it("numbers restart per year", async () => {
    const db = database.db();
    expect(await allocateInvoiceNumber(db, 2040)).toBe("RE-2040-0001");
    expect(await allocateInvoiceNumber(db, 2041)).toBe("RE-2041-0001");
    expect(await allocateInvoiceNumber(db, 2040)).toBe("RE-2040-0002");
  });
});
