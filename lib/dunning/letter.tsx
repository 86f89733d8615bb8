/**
 * The dunning letter as PDF (react-pdf, like the invoice): a short German
 * "Zahlungserinnerung", "1. Mahnung" or "2. Mahnung" listing the open
 * invoices, the fee of the second dunning letter if configured, the amount
 * to pay and the bank details. Deterministic for the same data (the PDF's
 * creation date is the letter date at 12:00 UTC).
 */
import type { IssuerConfig } from "@/lib/invoices/pdf";
import type { InvoiceRecipientSnapshot } from "@/db/schema";

export type DunningStage = "reminder" | "dunning_1" | "dunning_2";

export const STAGE_TITLES: Record<DunningStage, string> = {
  reminder: "Zahlungserinnerung",
  dunning_1: "1. Mahnung",
  dunning_2: "2. Mahnung",
};

export type LetterInvoice = { number: string; invoiceDate: string | null; dueDate: string; openCents: number };

export type LetterData = {
  stage: DunningStage;
  letterDate: string;
  recipient: InvoiceRecipientSnapshot;
  invoices: LetterInvoice[];
  feeCents: number;
  /** Pay by this day. */
  payUntil: string;
};

export function letterTotalCents(data: Pick<LetterData, "invoices" | "feeCents">) {
  return data.invoices.reduce((sum, i) => sum + i.openCents, 0) + data.feeCents;
}

export function letterReference(invoices: Pick<LetterInvoice, "number">[]) {
  return invoices.map((i) => i.number).join(" ").slice(0, 140);
}

/** The letter as PDF; the PDF library loads on the first letter, not with every route that shows dunning data. */
export async function renderDunningLetter(data: LetterData, issuer: IssuerConfig): Promise<Buffer> {
  const { renderLetterPdf } = await import("./letter-pdf");
  return renderLetterPdf(data, issuer);
}
