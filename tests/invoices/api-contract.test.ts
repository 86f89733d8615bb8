import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { GET as customerList } from "@/app/api/manage/invoices/route";
import { GET as customerDetail } from "@/app/api/manage/invoices/[id]/route";
import { POST as createDraft } from "@/app/api/manage/admin/invoices/route";
import { GET as staffDetail } from "@/app/api/manage/admin/invoices/[id]/route";
import { POST as issue } from "@/app/api/manage/admin/invoices/[id]/issue/route";
import { POST as cancel } from "@/app/api/manage/admin/invoices/[id]/cancel/route";
import { GET as v1List } from "@/app/api/v1/invoices/route";
import { GET as v1Detail } from "@/app/api/v1/invoices/[id]/route";
import { instances } from "@/db/schema";
import { invoiceDetailResponse, invoiceList } from "@/lib/invoices/api-schemas";
import { openApiDocument } from "@/lib/doors/v1/openapi";
import { API_TIMESTAMP_PATTERN } from "@/lib/time";
import { useTestDatabase } from "../helpers/db";
import { call } from "../helpers/http";
import { v1Login } from "../v1/helpers";
import { draftBody, loginAs } from "./helpers";

/** Timestamps in every invoice response go through apiTimestamp; the OpenAPI schemas describe the real answers. */
const database = useTestDatabase();
const origin = { origin: "http://localhost:3000" };
let staff: string;
let customer: string;
let cancelledId: number;
let creditNoteId: number;

beforeAll(async () => {
  staff = await loginAs("msp-admin@myit.center");
  customer = await loginAs("admin@firma.de");
  const [acme] = await database.db().select({ id: instances.id }).from(instances).where(eq(instances.name, "acme"));
  const draft = await call(createDraft, "POST", "/api/manage/admin/invoices", { token: staff, body: draftBody(acme!.id), headers: origin });
  cancelledId = draft.json.invoice.id;
  const params = { id: String(cancelledId) };
  expect((await call(issue, "POST", "/api/manage/admin/invoices/{id}/issue", { token: staff, params, body: {}, headers: origin })).status).toBe(200);
  const res = await call(cancel, "POST", "/api/manage/admin/invoices/{id}/cancel", { token: staff, params, body: { reason: "Doppelt gestellt" }, headers: origin });
  expect(res.status).toBe(200);
  creditNoteId = res.json.credit_note.id;
});

function expectTimestamps(invoice: { issued_at: unknown; cancelled_at: unknown }, cancelled: boolean) {
  expect(invoice.issued_at).toMatch(API_TIMESTAMP_PATTERN);
  if (cancelled) expect(invoice.cancelled_at).toMatch(API_TIMESTAMP_PATTERN);
  else expect(invoice.cancelled_at).toBeNull();
}

describe("timestamps and dates", () => {
  it("manage API (customer): issued_at/cancelled_at as 2026-03-04T10:00:00+00:00, dates as YYYY-MM-DD", async () => {
    const res = await call(customerDetail, "GET", "/api/manage/invoices/{id}", { token: customer, params: { id: String(cancelledId) } });
    expect(res.status).toBe(200);
    expectTimestamps(res.json.invoice, true);
    expect(res.json.invoice.invoice_date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const credit = await call(customerDetail, "GET", "/api/manage/invoices/{id}", { token: customer, params: { id: String(creditNoteId) } });
    expectTimestamps(credit.json.invoice, false);
  });

  it("staff API: the same format, drafts with null", async () => {
    const res = await call(staffDetail, "GET", "/api/manage/admin/invoices/{id}", { token: staff, params: { id: String(cancelledId) } });
    expect(res.status).toBe(200);
    expectTimestamps(res.json.invoice, true);
  });

  it("API v1: the same format; malformed and oversized ids are 404", async () => {
    const { access_token } = await v1Login("admin@firma.de");
    const res = await call(v1Detail, "GET", "/api/v1/invoices/{id}", { token: access_token, params: { id: String(cancelledId) } });
    expect(res.status).toBe(200);
    expectTimestamps(res.json.invoice, true);
    for (const id of ["abc", "0", "-1", "2147483648", "1e3"]) {
      const bad = await call(v1Detail, "GET", "/api/v1/invoices/{id}", { token: access_token, params: { id } });
      expect(bad.status, id).toBe(404);
    }
  });
});

describe("OpenAPI response schemas", () => {
  it("describe the real list and detail answers of the manage API and API v1", async () => {
    const { access_token } = await v1Login("admin@firma.de");
    const lists = [
      await call(customerList, "GET", "/api/manage/invoices?per_page=50", { token: customer }),
      await call(v1List, "GET", "/api/v1/invoices?per_page=50", { token: access_token }),
    ];
    for (const list of lists) {
      expect(list.status).toBe(200);
      expect(invoiceList.safeParse(list.json).error).toBeUndefined();
      for (const item of list.json.invoices as { id: number }[]) {
        const detail = await call(customerDetail, "GET", "/api/manage/invoices/{id}", { token: customer, params: { id: String(item.id) } });
        expect(invoiceDetailResponse.safeParse(detail.json).error).toBeUndefined();
      }
    }
  });

  it("are referenced by the invoice endpoints of the document, with the timestamp pattern", () => {
    const doc = JSON.parse(JSON.stringify(openApiDocument()));
    const detail = doc.components.schemas.InvoiceDetail;
    for (const field of ["issued_at", "cancelled_at"]) {
      expect(detail.properties[field].anyOf).toEqual([expect.objectContaining({ type: "string", pattern: API_TIMESTAMP_PATTERN.source }), { type: "null" }]);
    }
    for (const path of ["/api/v1/invoices/{id}", "/api/manage/invoices/{id}"]) {
      expect(doc.paths[path].get.responses["200"].content["application/json"].schema.$ref).toBe("#/components/schemas/InvoiceDetailResponse");
    }
    for (const path of ["/api/v1/invoices", "/api/manage/invoices"]) {
      expect(doc.paths[path].get.responses["200"].content["application/json"].schema.$ref).toBe("#/components/schemas/InvoiceList");
    }
  });
});
