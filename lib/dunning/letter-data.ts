/** What a dunning letter says (stage titles, invoices, total, transfer reference): shared by the run and the PDF layout. */
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
