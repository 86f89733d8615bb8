/**
 * `invoice.overdue` has no command behind it: an invoice becomes overdue when
 * the calendar passes its due date. This scan (hourly job) emits the event for
 * every issued, unpaid, uncancelled invoice whose due date (Europe/Berlin) has
 * passed within the last 30 days; the dedupe key `invoice.overdue:<id>` makes
 * it happen once per invoice however often the scan runs. Older invoices are
 * left alone so a new installation does not flood receivers with history.
 */
import { sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { resultRows } from "@/db/types";
import { todayIsoDate } from "@/lib/invoices/calc";
import { emitWebhookEvent, invoiceEventData } from "@/lib/events/webhooks";

export async function scanOverdueInvoices(now = new Date()): Promise<{ emitted: number }> {
  const db = await getDb();
  const today = todayIsoDate(now);
  const candidates = resultRows<{ id: number }>(
    await db.execute(sql`
      select i.id from invoices i
      left join lateral (select coalesce(sum(p.amount_cents), 0) as paid from invoice_payments p where p.invoice_id = i.id) p on true
      where i.issued_at is not null and i.cancelled_at is null and i.kind = 'invoice'
        and i.due_date < ${today}::date and i.due_date >= ${today}::date - 30
        and i.gross_cents - p.paid > 0
        and not exists (select 1 from webhook_events e where e.dedupe_key = 'invoice.overdue:' || i.id)
      order by i.id`),
  );
  let emitted = 0;
  for (const { id } of candidates) {
    await db.transaction(async (tx) => {
      const invoice = await invoiceEventData(tx, id);
      if (invoice && (await emitWebhookEvent(tx, { type: "invoice.overdue", ...invoice, dedupeKey: `invoice.overdue:${id}`, now }))) emitted++;
    });
  }
  return { emitted };
}
