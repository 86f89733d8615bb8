/**
 * The billing run's only door into lib/invoices.
 *
 * `insertRecurringDraft` writes the draft with the caller's transaction — the
 * one that also claims the period in `billing_periods` — so claim and draft
 * commit or roll back together. lib/invoices' `createDraft` would join it as a
 * savepoint but also reads the staff view back, hence this tx-taking helper; it uses the invoice module's own
 * pieces (default recipient, line math, payment terms) so the draft looks
 * exactly like one created by staff. Issuing goes through the invoice command
 * itself (number allocation, PDF archive, mail).
 */
import { eq } from "drizzle-orm";
import type { CommandOptions } from "@/db/transaction";
import type { DbOrTx } from "@/db/types";
import { invoiceItems, invoices } from "@/db/schema";
import { actorUserId, type Actor } from "@/lib/activity";
import { summarizeLines } from "@/lib/invoices/calc";
import { defaultRecipient } from "@/lib/invoices/drafts";
import { defaultPaymentTermsDays } from "@/lib/invoices/issuer-config";
import { issueInvoice } from "@/lib/invoices/commands";
import type { PlanLine } from "./plan";
import { vatRateUnder } from "@/lib/invoices/billing-profile";

export type RecurringDraft = { instanceId: number; title: string; periodStart: string; periodEnd: string; lines: PlanLine[] };

export async function insertRecurringDraft(tx: DbOrTx, draft: RecurringDraft, actor: Actor): Promise<{ id: number; netCents: number }> {
  const recipient = await defaultRecipient(tx, draft.instanceId);
  // Plan prices are net; German VAT only for domestic customers (billing profile).
  const items = draft.lines.map((line, index) => ({
    position: index + 1,
    description: line.description,
    quantityMilli: line.quantityMilli,
    unit: line.unit,
    unitPriceCents: line.unitPriceCents,
    vatRate: vatRateUnder(recipient.vat_treatment, line.vatRate),
    netCents: line.netCents,
  }));
  const { totals } = summarizeLines(
    items.map((i) => ({ position: i.position, description: i.description, quantity_milli: i.quantityMilli, unit: i.unit, unit_price_cents: i.unitPriceCents, vat_rate: i.vatRate, net_cents: i.netCents })),
  );
  const [row] = await tx
    .insert(invoices)
    .values({
      instanceId: draft.instanceId,
      title: draft.title,
      servicePeriodStart: draft.periodStart,
      servicePeriodEnd: draft.periodEnd,
      paymentTermsDays: defaultPaymentTermsDays(),
      recipient,
      reverseCharge: recipient.vat_treatment === "eu_reverse_charge",
      notes: recipient.vat_treatment === "tax_exempt" ? recipient.exemption_reason ?? null : null,
      netCents: totals.net_cents,
      vatCents: totals.vat_cents,
      grossCents: totals.gross_cents,
      createdBy: actorUserId(actor),
    })
    .returning({ id: invoices.id });
  await tx.insert(invoiceItems).values(items.map((i) => ({ ...i, invoiceId: row!.id })));
  return { id: row!.id, netCents: totals.net_cents };
}

/** Issues (number, PDF, mail to the customer admins) through the invoice command. */
export async function issueRecurringInvoice(actor: Actor, input: { invoiceId: number; invoiceDate: string }, options?: CommandOptions) {
  return issueInvoice(actor, { invoiceId: input.invoiceId, invoiceDate: input.invoiceDate, sendMail: true }, options);
}

export async function isIssued(db: DbOrTx, invoiceId: number) {
  const [row] = await db.select({ issuedAt: invoices.issuedAt }).from(invoices).where(eq(invoices.id, invoiceId));
  return Boolean(row?.issuedAt);
}
