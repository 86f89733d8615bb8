/**
 * ZUGFeRD/Factur-X (profile EN 16931) is the invoice PDF itself: the rendered
 * PDF turned into PDF/A-3 with the CII XML embedded as `factur-x.xml`. The
 * archive stores this file as the invoice's PDF, so the download, the mail
 * attachment and the e-invoice are one immutable file.
 */
import type { DbOrTx } from "@/db/types";
import { UnprocessableError } from "@/lib/errors";
import type { InvoiceRow } from "@/lib/invoices/rows";
import { EInvoiceError, renderFacturX } from "./generate";
import { toEInvoiceData } from "./map";
import { sourceFor } from "./source";

export async function embedFacturX(db: DbOrTx, row: InvoiceRow, pdf: Buffer): Promise<Buffer> {
  try {
    return await renderFacturX(toEInvoiceData(await sourceFor(db, row)), pdf);
  } catch (error) {
    if (error instanceof EInvoiceError) throw new UnprocessableError(`Die E-Rechnung (ZUGFeRD) konnte nicht erstellt werden: ${error.message}`);
    throw error;
  }
}
