import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { GET as listRoute } from "@/app/api/manage/invoices/route";
import { GET as detailRoute } from "@/app/api/manage/invoices/[id]/route";
import { GET as pdfRoute } from "@/app/api/manage/invoices/[id]/pdf/route";
import { instances, invoices } from "@/db/schema";
import { deriveStatus, todayIsoDate } from "@/lib/invoices/calc";
import { listInvoices } from "@/lib/invoices/service";
import { useTestDatabase } from "../helpers/db";
import { call } from "../helpers/http";
import { callBinary, loginAs } from "./helpers";

const database = useTestDatabase();

async function instanceId(name: string) {
  const [row] = await database.db().select({ id: instances.id }).from(instances).where(eq(instances.name, name));
  return row!.id;
}

describe("GET /api/manage/invoices", () => {
  it("returns the seed's shape exactly, with statistics over the customer's invoices", async () => {
    const token = await loginAs("admin@firma.de");
    const res = await call(listRoute, "GET", "/api/manage/invoices", { token });
    expect(res.status).toBe(200);
    expect(Object.keys(res.json).sort()).toEqual(["invoices", "meta", "stats"]);
    const first = res.json.invoices[0];
    for (const key of ["id", "invoice_number", "title", "status", "total_gross", "remaining_amount", "invoice_date", "due_date"]) {
      expect(first).toHaveProperty(key);
    }
    expect(typeof first.total_gross).toBe("number");
    expect(res.json.stats).toMatchObject({ open_count: 3, paid_count: 5, overdue_count: 1 });
    expect(typeof res.json.stats.open_amount).toBe("number");
    expect(res.json.meta).toMatchObject({ current_page: 1, last_page: 1, total: 8 });
  });
});
