import { parseJsonBody } from "@/lib/http/body";
import { invoiceIdParam, staffRoute } from "@/lib/invoices/http";
import { paymentSchema } from "@/lib/invoices/schemas";
import { recordPayment } from "@/lib/invoices/service";
import { NextResponse } from "next/server";

export const POST = staffRoute("invoice.write", async ({ req, ip, params, auth }) => {
  const id = invoiceIdParam(params);
  const input = await parseJsonBody(req, paymentSchema);
  const invoice = await recordPayment(id, input, { principal: auth.principal, ip });
  return NextResponse.json({ message: "Zahlung erfasst", invoice }, { status: 201 });
});
