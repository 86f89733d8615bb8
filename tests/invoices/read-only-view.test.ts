import { todayIsoDate } from "@/lib/time";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { DELETE as stopView, POST as startView } from "@/app/api/manage/admin/impersonation/route";
import { GET as staffList, POST as createDraft } from "@/app/api/manage/admin/invoices/route";
import { DELETE as deleteDraft, GET as staffDetail, PUT as updateDraft } from "@/app/api/manage/admin/invoices/[id]/route";
import { POST as issue } from "@/app/api/manage/admin/invoices/[id]/issue/route";
import { POST as pay } from "@/app/api/manage/admin/invoices/[id]/payments/route";
import { POST as cancel } from "@/app/api/manage/admin/invoices/[id]/cancel/route";
import { instances, invoicePayments, invoices } from "@/db/schema";

import { useTestDatabase } from "../helpers/db";
import { call } from "../helpers/http";
import { draftBody, loginAs } from "./helpers";

/** Staff in the read-only "Ansicht als Kunde" may read invoices but change nothing (one staffRoute for all). */
const database = useTestDatabase();
const origin = { origin: "http://localhost:3000" };
let staff: string;
let acmeId: number;
let draftId: number;
let issuedId: number;

beforeAll(async () => {
  staff = await loginAs("msp-admin@myit.center");
  const [acme] = await database.db().select({ id: instances.id }).from(instances).where(eq(instances.name, "acme"));
  acmeId = acme!.id;
  const make = async () => (await call(createDraft, "POST", "/api/manage/admin/invoices", { token: staff, body: draftBody(acmeId), headers: origin })).json.invoice.id as number;
  draftId = await make();
  issuedId = await make();
  expect((await call(issue, "POST", "/api/manage/admin/invoices/{id}/issue", { token: staff, params: { id: String(issuedId) }, body: {}, headers: origin })).status).toBe(200);
  expect((await call(startView, "POST", "/api/manage/admin/impersonation", { token: staff, body: { instance_id: acmeId } })).status).toBe(200);
});

async function row(id: number) {
  const [r] = await database.db().select().from(invoices).where(eq(invoices.id, id));
  return r;
}

describe("invoices in the read-only customer view", () => {
  it("reads are allowed", async () => {
    expect((await call(staffList, "GET", "/api/manage/admin/invoices", { token: staff })).status).toBe(200);
    expect((await call(staffDetail, "GET", "/api/manage/admin/invoices/{id}", { token: staff, params: { id: String(issuedId) } })).status).toBe(200);
  });

  it("issue, payment, cancel, delete, create and update are refused with 403 and change nothing", async () => {
    const writes = [
      await call(issue, "POST", "/api/manage/admin/invoices/{id}/issue", { token: staff, params: { id: String(draftId) }, body: {}, headers: origin }),
      await call(pay, "POST", "/api/manage/admin/invoices/{id}/payments", { token: staff, params: { id: String(issuedId) }, body: { amount: "10,00", payment_date: todayIsoDate() }, headers: origin }),
      await call(cancel, "POST", "/api/manage/admin/invoices/{id}/cancel", { token: staff, params: { id: String(issuedId) }, body: { reason: "Test im Kundenmodus" }, headers: origin }),
      await call(deleteDraft, "DELETE", "/api/manage/admin/invoices/{id}", { token: staff, params: { id: String(draftId) }, headers: origin }),
      await call(createDraft, "POST", "/api/manage/admin/invoices", { token: staff, body: draftBody(acmeId), headers: origin }),
      await call(updateDraft, "PUT", "/api/manage/admin/invoices/{id}", { token: staff, params: { id: String(draftId) }, body: draftBody(acmeId, { title: "Geändert" }), headers: origin }),
    ];
    for (const res of writes) {
      expect(res.status).toBe(403);
      expect(res.json).toMatchObject({ read_only: true });
      expect(res.json.message).toMatch(/^Nur-Lese-Ansicht/);
    }
    expect(await row(draftId)).toMatchObject({ issuedAt: null, title: "Managed Services Test" });
    expect(await row(issuedId)).toMatchObject({ cancelledAt: null });
    expect(await database.db().select().from(invoicePayments).where(eq(invoicePayments.invoiceId, issuedId))).toHaveLength(0);
  });

  it("after ending the view the same write works again", async () => {
    expect((await call(stopView, "DELETE", "/api/manage/admin/impersonation", { token: staff })).status).toBe(200);
    const res = await call(issue, "POST", "/api/manage/admin/invoices/{id}/issue", { token: staff, params: { id: String(draftId) }, body: {}, headers: origin });
    expect(res.status).toBe(200);
  });
});
