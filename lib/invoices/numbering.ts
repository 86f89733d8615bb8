import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { invoiceNumberCounters } from "@/db/schema";

type Executor = Db | Parameters<Parameters<Db["transaction"]>[0]>[0];

/**
 * Next invoice number of the year, RE-YYYY-NNNN. Must run inside the transaction that
 * stores the number: the upsert row-locks the year's counter until that transaction
 * ends, so concurrent issues queue up, and a rollback gives the number back —
 * unique and without gaps.
 */
export async function allocateInvoiceNumber(tx: Executor, year: number): Promise<string> {
  const [counter] = await tx
    .insert(invoiceNumberCounters)
    .values({ year, lastNumber: 1 })
    .onConflictDoUpdate({ target: invoiceNumberCounters.year, set: { lastNumber: sql`${invoiceNumberCounters.lastNumber} + 1` } })
    .returning({ n: invoiceNumberCounters.lastNumber });
  return formatInvoiceNumber(year, counter!.n);
}

export function formatInvoiceNumber(year: number, n: number) {
  return `RE-${year}-${String(n).padStart(4, "0")}`;
}
