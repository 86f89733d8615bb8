/**
 * Collection files (pain.008.001.08) staff create for one collection date and upload to the bank.
 *
 * - Which debits: announced debits (`sepa_debits`, written at issue) with a collection date on or
 *   before the chosen date, whose mandate is still active and whose invoice is issued, not cancelled
 *   and still open. The amount is the open amount (at most the announced one).
 * - Sequence type per mandate: OOFF for a one-off mandate; FRST when the mandate has no earlier
 *   collection (the first one in this file if there are several), RCUR afterwards.
 * - Never twice: `sepa_collection_items.invoice_id` (and `debit_id`) are unique, and the debits
 *   are claimed with a conditional update (`announced` → `submitted`) in the file's transaction:
 *   a concurrent second file gets nothing (409), a repeated request the answer "nichts fällig".
 * - The XML is stored with its SHA-256 (written once, trigger) and logged per instance and once for staff.
 */
import { createHash, randomBytes } from "node:crypto";
import { and, asc, desc, eq, inArray, isNotNull, isNull, lte, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { inTransaction, type CommandOptions } from "@/db/transaction";
import type { DbOrTx } from "@/db/types";
import { uniqueViolation } from "@/db/errors";
import { invoices, sepaCollectionFiles, sepaCollectionItems, sepaDebits, sepaMandates } from "@/db/schema";
import { actorUserId, recordActivity, type Actor } from "@/lib/activity";
import { ConflictError, NotFoundError, UnprocessableError } from "@/lib/errors";
import { currentIssuer } from "@/lib/invoices/issuer-config";
import { centsToNumber, formatEuro } from "@/lib/money";
import { apiTimestamp, formatDateDe, todayIsoDate } from "@/lib/time";
import { buildPain008, type Pain008Transaction, type SequenceType } from "@/lib/sepa/pain008";
import { creditorId } from "./mandates";

const paidCents = sql<number>`coalesce((select sum(p.amount_cents) from invoice_payments p where p.invoice_id = "invoices"."id"), 0)`.mapWith(Number);

/** Debits that a file for `date` would collect (also the staff preview). */
export async function dueDebits(db: DbOrTx, date: string) {
  const rows = await db
    .select({
      debitId: sepaDebits.id,
      amountCents: sepaDebits.amountCents,
      collectionDate: sepaDebits.collectionDate,
      invoiceId: invoices.id,
      invoiceNumber: invoices.invoiceNumber,
      instanceId: invoices.instanceId,
      grossCents: invoices.grossCents,
      paidCents,
      mandate: sepaMandates,
    })
    .from(sepaDebits)
    .innerJoin(invoices, eq(invoices.id, sepaDebits.invoiceId))
    .innerJoin(sepaMandates, eq(sepaMandates.id, sepaDebits.mandateId))
    .where(and(eq(sepaDebits.status, "announced"), lte(sepaDebits.collectionDate, date), eq(sepaMandates.status, "active"), isNotNull(invoices.issuedAt), isNull(invoices.cancelledAt)))
    .orderBy(asc(sepaDebits.collectionDate), asc(sepaDebits.id));
  return rows
    .map((r) => ({ ...r, openCents: Math.min(r.amountCents, r.grossCents - r.paidCents) }))
    .filter((r) => r.openCents > 0);
}

export async function previewCollection(date: string) {
  const db = await getDb();
  const rows = await dueDebits(db, date);
  return {
    collection_date: date,
    count: rows.length,
    total: centsToNumber(rows.reduce((s, r) => s + r.openCents, 0)),
    total_formatted: formatEuro(rows.reduce((s, r) => s + r.openCents, 0)),
    debits: rows.map((r) => ({
      debit_id: r.debitId,
      invoice_id: r.invoiceId,
      invoice_number: r.invoiceNumber,
      instance_id: r.instanceId,
      announced_date: r.collectionDate,
      amount: centsToNumber(r.openCents),
      amount_formatted: formatEuro(r.openCents),
      mandate_reference: r.mandate.reference,
      scheme: r.mandate.scheme,
    })),
  };
}

function isoNoFraction(date: Date) {
  return date.toISOString().slice(0, 19);
}

/** POST /api/manage/admin/sepa/collections: creates, stores and logs the file for `collection_date`. */
export async function createCollectionFile(actor: Actor, input: { collectionDate: string }, options?: CommandOptions) {
  const today = todayIsoDate();
  if (input.collectionDate < today) throw new UnprocessableError("Das Einzugsdatum darf nicht in der Vergangenheit liegen.");
  const creditor = creditorId();
  const issuer = currentIssuer();
  try {
    return await inTransaction(options, async (tx) => {
      const due = await dueDebits(tx, input.collectionDate);
      if (due.length === 0) throw new ConflictError(`Für den ${formatDateDe(input.collectionDate)} sind keine Lastschriften fällig (oder sie wurden bereits eingereicht).`);
      // Claim: announced → submitted; what a concurrent file took is not claimed again.
      const claimed = await tx
        .update(sepaDebits)
        .set({ status: "submitted" })
        .where(and(inArray(sepaDebits.id, due.map((d) => d.debitId)), eq(sepaDebits.status, "announced")))
        .returning({ id: sepaDebits.id });
      const claimedIds = new Set(claimed.map((c) => c.id));
      const rows = due.filter((d) => claimedIds.has(d.debitId));
      if (rows.length === 0) throw new ConflictError("Diese Lastschriften wurden gerade eben schon eingereicht.");
      const mandateIds = [...new Set(rows.map((r) => r.mandate.id))];
      const earlier = new Set(
        (await tx.selectDistinct({ id: sepaCollectionItems.mandateId }).from(sepaCollectionItems).where(inArray(sepaCollectionItems.mandateId, mandateIds))).map((r) => r.id),
      );
      const seen = new Set<number>();
      const transactions: (Pain008Transaction & { row: (typeof rows)[number] })[] = rows.map((r) => {
        let sequenceType: SequenceType;
        if (r.mandate.mandateType === "one_off") sequenceType = "OOFF";
        else sequenceType = earlier.has(r.mandate.id) || seen.has(r.mandate.id) ? "RCUR" : "FRST";
        seen.add(r.mandate.id);
        return {
          row: r,
          endToEndId: r.invoiceNumber!,
          amountCents: r.openCents,
          mandateReference: r.mandate.reference,
          mandateSignedOn: r.mandate.signedOn,
          debtorName: r.mandate.accountHolder,
          debtorIban: r.mandate.iban,
          debtorBic: r.mandate.bic,
          remittance: `Rechnung ${r.invoiceNumber}`,
          scheme: r.mandate.scheme,
          sequenceType,
        };
      });
      const now = new Date();
      const messageId = `MP${input.collectionDate.replace(/-/g, "")}${now.getTime().toString(36).toUpperCase()}${randomBytes(3).toString("hex").toUpperCase()}`;
      const xml = buildPain008({
        messageId,
        createdAt: isoNoFraction(now),
        collectionDate: input.collectionDate,
        creditor: { name: issuer.name, iban: issuer.bank.iban, bic: issuer.bank.bic, creditorId: creditor },
        transactions,
      });
      const total = transactions.reduce((s, t) => s + t.amountCents, 0);
      const [file] = await tx
        .insert(sepaCollectionFiles)
        .values({
          collectionDate: input.collectionDate,
          messageId,
          xml,
          sha256: createHash("sha256").update(xml).digest("hex"),
          transactionCount: transactions.length,
          controlSumCents: total,
          createdBy: actorUserId(actor),
          createdByName: actor.kind === "user" ? actor.principal.name : actor.kind === "system" ? actor.name : null,
        })
        .returning();
      await tx.insert(sepaCollectionItems).values(
        transactions.map((t) => ({
          fileId: file!.id,
          debitId: t.row.debitId,
          invoiceId: t.row.invoiceId,
          mandateId: t.row.mandate.id,
          sequenceType: t.sequenceType,
          endToEndId: t.endToEndId,
          amountCents: t.amountCents,
        })),
      );
      for (const instanceId of [...new Set(transactions.map((t) => t.row.instanceId))]) {
        const own = transactions.filter((t) => t.row.instanceId === instanceId);
        await recordActivity(tx, actor, {
          instanceId,
          action: "sepa.collection_file_created",
          description: `Lastschrift zum ${formatDateDe(input.collectionDate)} eingereicht: ${own.map((t) => `${t.row.invoiceNumber} (${formatEuro(t.amountCents)}, ${t.sequenceType})`).join(", ")}`,
          metadata: { file_id: file!.id, message_id: messageId, invoice_ids: own.map((t) => t.row.invoiceId) },
        });
      }
      await recordActivity(tx, actor, {
        instanceId: null,
        action: "sepa.collection_file_created",
        description: `Lastschriftdatei ${messageId} zum ${formatDateDe(input.collectionDate)} erstellt: ${transactions.length} Lastschrift(en), ${formatEuro(total)}`,
        metadata: { file_id: file!.id, message_id: messageId, count: transactions.length, control_sum_cents: total },
      });
      return { file: presentFile(file!), transactions: transactions.map((t) => ({ invoice_id: t.row.invoiceId, invoice_number: t.row.invoiceNumber, sequence_type: t.sequenceType, amount: centsToNumber(t.amountCents) })) };
    });
  } catch (error) {
    if (uniqueViolation(error)) throw new ConflictError("Eine dieser Rechnungen ist bereits in einer Lastschriftdatei enthalten; sie wird nie zweimal eingezogen.");
    throw error;
  }
}

type FileRow = typeof sepaCollectionFiles.$inferSelect;

function presentFile(row: FileRow) {
  return {
    id: row.id,
    collection_date: row.collectionDate,
    message_id: row.messageId,
    transaction_count: row.transactionCount,
    control_sum: centsToNumber(row.controlSumCents),
    control_sum_formatted: formatEuro(row.controlSumCents),
    sha256: row.sha256,
    created_by_name: row.createdByName,
    created_at: apiTimestamp(row.createdAt),
    filename: fileName(row),
  };
}

function fileName(row: Pick<FileRow, "collectionDate" | "messageId">) {
  return `pain.008-${row.collectionDate}-${row.messageId}.xml`;
}

export async function listCollectionFiles(limit = 50) {
  const db = await getDb();
  const rows = await db.select().from(sepaCollectionFiles).orderBy(desc(sepaCollectionFiles.id)).limit(limit);
  return { files: rows.map(presentFile) };
}

/** GET …/sepa/collections/{id}/xml: the stored bytes, as created. */
export async function collectionFileXml(id: number) {
  const db = await getDb();
  const [row] = await db.select().from(sepaCollectionFiles).where(eq(sepaCollectionFiles.id, id));
  if (!row) throw new NotFoundError("Lastschriftdatei nicht gefunden.");
  return { filename: fileName(row), bytes: Buffer.from(row.xml, "utf8") };
}
