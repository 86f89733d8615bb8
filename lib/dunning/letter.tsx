/**
 * The dunning letter as PDF (react-pdf, like the invoice): a short German
 * "Zahlungserinnerung", "1. Mahnung" or "2. Mahnung" listing the open
 * invoices, the fee of the second dunning letter if configured, the amount
 * to pay and the bank details. Deterministic for the same data (the PDF's
 * creation date is the letter date at 12:00 UTC).
 */
import type { IssuerConfig } from "@/lib/invoices/pdf";
import type { LetterData } from "./letter-data";

export { STAGE_TITLES, letterReference, letterTotalCents, type DunningStage, type LetterData, type LetterInvoice } from "./letter-data";

/** The letter as PDF; the PDF library loads on the first letter, not with every route that shows dunning data. */
export async function renderDunningLetter(data: LetterData, issuer: IssuerConfig): Promise<Buffer> {
  const { renderLetterPdf } = await import("./letter-pdf");
  return renderLetterPdf(data, issuer);
}
