import { NextResponse } from "next/server";
import { userActor } from "@/lib/activity";
import { parseJsonBody } from "@/lib/http/body";
import { staffRoute } from "@/lib/doors/manage/route";
import { invoiceIdParam } from "@/lib/invoices/params";
import { getInvoiceForStaff } from "@/lib/invoices/queries";
import { paymentSchema } from "@/lib/invoices/schemas";
import { recordManualPayment } from "@/lib/payments/manual";

export const POST = staffRoute({ permission: "invoice.write" }, async ({ req, ip, params, auth }) => {
  const id = invoiceIdParam(params);
  const input = await parseJsonBody(req, paymentSchema);
  await recordManualPayment(userActor(auth.principal, ip), { ...input, invoiceId: id });
  return NextResponse.json({ message: "Zahlung erfasst", invoice: await getInvoiceForStaff(id) }, { status: 201 });
});
