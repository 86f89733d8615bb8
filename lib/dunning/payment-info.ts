/**
 * What a suspended customer needs to pay (the `payment` part of /status):
 * every open invoice, the total, the MSP's bank details and the GiroCode
 * (EPC payload) for the total with the invoice numbers as reference, which
 * the CAMT import matches on. For callers allowed to read invoices, each open
 * invoice carries a signed 15-minute link to its archived PDF (`pdf_download`,
 * served outside the manage API, which a suspended instance cannot reach).
 */
import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import type { DbOrTx } from "@/db/types";
import { dunningSuspensions, instances } from "@/db/schema";
import { currentIssuer } from "@/lib/invoices/issuer-config";
import { centsToNumber, formatEuro } from "@/lib/money";
import { giroCodePayload } from "@/lib/invoices/girocode";
import { billingToday } from "@/lib/billing/clock";
import { openInvoices } from "./invoices";
import { letterReference } from "./letter";
import { signedPdfLink } from "@/lib/invoices/pdf-link";

function bankDetails() {
  try {
    const { bank } = currentIssuer();
    return { account_holder: bank.account_holder, iban: bank.iban, bic: bank.bic, bank_name: bank.bank_name };
  } catch {
    return null; // issuer not configured (production without INVOICE_ISSUER_*): no bank details to show
  }
}

/** Whether the instance's current suspension is dunning's own (lifted by payment), not a manual one of the staff. */
export async function suspendedByDunning(instanceId: number, db?: DbOrTx) {
  db ??= await getDb();
  const [owned] = await db
    .select({ ownedAt: dunningSuspensions.suspendedAt, suspendedAt: instances.suspendedAt })
    .from(dunningSuspensions)
    .innerJoin(instances, eq(instances.id, dunningSuspensions.instanceId))
    .where(eq(dunningSuspensions.instanceId, instanceId));
  return Boolean(owned && owned.suspendedAt?.getTime() === owned.ownedAt.getTime());
}

export async function paymentInfo(instanceId: number, options: { pdfLinks?: boolean; now?: Date } = {}) {
  const today = billingToday();
  const [open, liftedOnPayment] = await Promise.all([openInvoices(await getDb(), { instanceId }), suspendedByDunning(instanceId)]);
  const amountDue = open.reduce((sum, o) => sum + o.openCents, 0);
  const bank = bankDetails();
  let girocode: { payload: string } | null = null;
  if (bank && amountDue > 0) {
    try {
      girocode = { payload: giroCodePayload({ bic: bank.bic, name: bank.account_holder, iban: bank.iban, amountCents: amountDue, reference: letterReference(open.map((o) => ({ number: o.invoiceNumber }))) }) };
    } catch {
      girocode = null;
    }
  }
  return {
    open_invoices: open.map((o) => ({
      number: o.invoiceNumber,
      amount: centsToNumber(o.openCents),
      amount_formatted: formatEuro(o.openCents),
      due_date: o.dueDate,
      overdue: o.dueDate !== null && o.dueDate < today,
      /** Signed link to the archived PDF, valid 15 minutes (null without the permission invoice.read). */
      pdf_download: options.pdfLinks ? signedPdfLink(o.id, options.now) : null,
    })),
    amount_due: centsToNumber(amountDue),
    amount_due_formatted: formatEuro(amountDue),
    /** true: dunning suspended the instance and lifts the suspension once the overdue invoices are paid; false: staff suspended it by hand. */
    lifted_on_payment: liftedOnPayment,
    bank_details: bank,
    girocode,
  };
}
