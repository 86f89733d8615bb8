import { NextResponse } from "next/server";
import { userActor } from "@/lib/activity";
import { parseJsonBody, parseQuery } from "@/lib/http/body";
import { staffRoute } from "@/lib/doors/manage/route";
import { createDraft } from "@/lib/invoices/drafts";
import { listInvoicesForStaff } from "@/lib/invoices/queries";
import { draftSchema, staffListQuery } from "@/lib/invoices/schemas";

export const GET = staffRoute({ permission: "invoice.read" }, async ({ req }) => {
  const { page, per_page, status, search, instance_id } = parseQuery(req, staffListQuery);
  return listInvoicesForStaff({ page, perPage: per_page, status, search, instanceId: instance_id });
});

export const POST = staffRoute({ permission: "invoice.write" }, async ({ req, ip, auth }) => {
  const input = await parseJsonBody(req, draftSchema);
  const invoice = await createDraft(userActor(auth.principal, ip), input);
  return NextResponse.json({ message: "Entwurf gespeichert", invoice }, { status: 201 });
});
