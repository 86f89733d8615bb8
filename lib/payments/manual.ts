/**
 * A payment staff record by hand (bank transfer seen in online banking, cash, card): booked
 * through the invoice domain's `recordPayment`, and when it pays the last overdue invoice of an
 * instance that dunning suspended, the suspension is lifted and the customer mailed in the same
 * transaction — as after a bank import.
 */
import { eq } from "drizzle-orm";
import { inTransaction, type CommandOptions } from "@/db/transaction";
import { invoices } from "@/db/schema";
import type { Actor } from "@/lib/activity";
import { liftPaidSuspension } from "@/lib/dunning/run";
import { recordPayment } from "@/lib/invoices/commands";
import type { PaymentBody } from "@/lib/invoices/schemas";

export async function recordManualPayment(actor: Actor, input: PaymentBody & { invoiceId: number }, options?: CommandOptions) {
  return inTransaction(options, async (tx) => {
    const { paymentId } = await recordPayment(actor, input, { tx });
    const [invoice] = await tx.select({ instanceId: invoices.instanceId }).from(invoices).where(eq(invoices.id, input.invoiceId));
    const reactivated = input.amount > 0 ? await liftPaidSuspension(tx, invoice!.instanceId) : false;
    return { paymentId, reactivated };
  });
}
