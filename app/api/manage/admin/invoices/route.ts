import { parseJsonBody, parseQuery } from "@/lib/http/body";
import { staffRoute } from "@/lib/invoices/http";
import { draftSchema, staffListQuery } from "@/lib/invoices/schemas";
import { createDraft, listInvoicesForStaff } from "@/lib/invoices/service";
import { NextResponse } from "next/server";

export const GET = staffRoute("invoice.read", async ({ req }) => {
  const { page, per_page, status, search, instance_id } = parseQuery(req, staffListQuery);
  return listInvoicesForStaff({ page, perPage: per_page, status, search, instanceId: instance_id });
});

export const POST = staffRoute("invoice.write", async ({ req, ip, auth }) => {
  const input = await parseJsonBody(req, draftSchema);
  const invoice = await createDraft(input, { principal: auth.principal, ip });
  return NextResponse.json({ message: "Entwurf gespeichert", invoice }, { status: 201 });
});
