/**
 * The accountant's download: one ZIP with the archived PDFs (the stored
 * Factur-X bytes, unchanged) of every issued invoice and credit note of the
 * instance whose invoice date lies in the year. Each PDF is read through
 * `getInvoicePdf`, so seeded invoices are archived on first use exactly like a
 * single download. The ZIP is generated as a stream; entries are stored
 * (PDFs do not compress further).
 */
import { and, asc, eq, gte, isNotNull, lt } from "drizzle-orm";
import { getDb } from "@/db/client";
import { invoices } from "@/db/schema";
import { NotFoundError } from "@/lib/errors";
import { getInvoicePdf } from "@/lib/invoices/pdf-archive";

export type YearArchive = { filename: string; count: number; stream: ReadableStream<Uint8Array> };

export async function invoiceYearArchive(instanceId: number, year: number): Promise<YearArchive> {
  const db = await getDb();
  const rows = await db
    .select({ id: invoices.id })
    .from(invoices)
    .where(
      and(
        eq(invoices.instanceId, instanceId),
        isNotNull(invoices.issuedAt),
        gte(invoices.invoiceDate, `${year}-01-01`),
        lt(invoices.invoiceDate, `${year + 1}-01-01`),
      ),
    )
    .orderBy(asc(invoices.invoiceDate), asc(invoices.id));
  if (rows.length === 0) throw new NotFoundError(`Für ${year} gibt es keine Rechnungen.`);
  const { default: JSZip } = await import("jszip");
  const zip = new JSZip();
  for (const row of rows) {
    const pdf = await getInvoicePdf(instanceId, row.id);
    zip.file(pdf.filename, pdf.bytes, { binary: true });
  }
  const internal = zip.generateInternalStream({ type: "uint8array", streamFiles: true, compression: "STORE" });
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      internal
        .on("data", (chunk) => controller.enqueue(chunk))
        .on("error", (error) => controller.error(error))
        .on("end", () => controller.close())
        .resume();
    },
    cancel() {
      internal.pause();
    },
  });
  return { filename: `Rechnungen-${year}.zip`, count: rows.length, stream };
}
