import { createHash } from "node:crypto";
import { and, asc, count, desc, eq, ilike, inArray, isNotNull, isNull, or, sql, type SQL } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { instances, invoiceItems, invoicePayments, invoices, roles, userRoles, users, type InvoiceRecipientSnapshot } from "@/db/schema";
import { logActivity, paginationMeta } from "@/lib/activity";
import type { Principal } from "@/lib/auth/principal";
import { ConflictError, NotFoundError, UnprocessableError } from "@/lib/errors";
import {
  addDaysIso,
  deriveStatus,
  formatQuantity,
  formatVatRate,
  INVOICE_STATUS_LABELS,
  lineNetCents,
  milliToDecimalString,
  negateItems,
  parseQuantityToMilli,
  summarizeLines,
  summarizePayments,
  todayIsoDate,
  type CalculatedLine,
  type InvoiceStatus,
} from "@/lib/invoices/calc";
import { currentIssuer, defaultPaymentTermsDays } from "@/lib/invoices/issuer-config";
import { invoiceIssuedMail } from "@/lib/invoices/mail";
import { allocateInvoiceNumber, formatInvoiceNumber } from "@/lib/invoices/numbering";
import { pdfFilename } from "@/lib/invoices/pdf-filename";
import { InvoicePdfError, renderInvoicePdf, type InvoicePdfData, type IssuerConfig } from "@/lib/invoices/pdf";
import { PAYMENT_METHOD_LABELS, type CustomerStatusFilter, type DraftInput, type PaymentBody, type StaffStatusFilter } from "@/lib/invoices/schemas";
import { sendMail } from "@/lib/mail";
import { centsToNumber, formatEuro } from "@/lib/money";

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
type Executor = Db | Tx;
type InvoiceRow = typeof invoices.$inferSelect;
type ItemRow = typeof invoiceItems.$inferSelect;
type PaymentRow = typeof invoicePayments.$inferSelect;

export const KIND_LABELS = { invoice: "Rechnung", credit_note: "Stornorechnung" } as const;
const OPEN_STATUSES: InvoiceStatus[] = ["sent", "partially_paid", "overdue"];

// ---------------------------------------------------------------------------
// Derived status in SQL (mirror of deriveStatus in calc.ts; tests check they agree)

const paidSql = sql<number>`coalesce((select sum(p.amount_cents) from ${invoicePayments} p where p.invoice_id = ${invoices.id}), 0)`;

function statusSql(today: string) {
  return sql<InvoiceStatus>`case
    when ${invoices.cancelledAt} is not null then 'cancelled'
    when ${invoices.issuedAt} is null then 'draft'
    when (case when ${invoices.grossCents} >= 0 then ${invoices.grossCents} - ${paidSql} <= 0
               else ${invoices.grossCents} - ${paidSql} >= 0 end) then 'paid'
    when ${invoices.dueDate} is not null and ${invoices.dueDate} < ${today}::date then 'overdue'
    when ${paidSql} <> 0 then 'partially_paid'
    else 'sent' end`;
}

function derivedSubquery(db: Executor, where: SQL | undefined, today: string) {
  return db
    .select({
      id: invoices.id,
      instanceId: invoices.instanceId,
      kind: invoices.kind,
      invoiceNumber: invoices.invoiceNumber,
      title: invoices.title,
      invoiceDate: invoices.invoiceDate,
      dueDate: invoices.dueDate,
      createdAt: invoices.createdAt,
      grossCents: invoices.grossCents,
      paidCents: sql<number>`${paidSql}`.mapWith(Number).as("paid_cents"),
      status: sql<InvoiceStatus>`${statusSql(today)}`.as("status"),
    })
    .from(invoices)
    .where(where)
    .as("d");
}

type StatusFilter = CustomerStatusFilter | StaffStatusFilter;

function escapeLike(value: string) {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export type InvoiceListFilters = { status?: StatusFilter; search?: string; page?: number; perPage?: number };

async function listDerived(baseWhere: SQL | undefined, filters: InvoiceListFilters, today: string) {
  const db = await getDb();
  const page = filters.page ?? 1;
  const perPage = filters.perPage ?? 15;
  const d = derivedSubquery(db, baseWhere, today);

  const conditions: SQL[] = [];
  if (filters.status === "open") conditions.push(inArray(d.status, OPEN_STATUSES));
  else if (filters.status) conditions.push(eq(d.status, filters.status));
  if (filters.search) {
    const pattern = `%${escapeLike(filters.search)}%`;
    conditions.push(or(ilike(d.invoiceNumber, pattern), ilike(d.title, pattern))!);
  }
  const where = conditions.length > 0 ? and(...conditions) : undefined;

  const [{ total }] = await db.select({ total: count() }).from(d).where(where);
  const rows = await db
    .select()
    .from(d)
    .where(where)
    .orderBy(sql`${d.invoiceDate} desc nulls first`, desc(d.createdAt), desc(d.id))
    .limit(perPage)
    .offset((page - 1) * perPage);

  const grouped = await db
    .select({
      status: d.status,
      n: count(),
      remaining: sql<number>`coalesce(sum(${d.grossCents} - ${d.paidCents}), 0)`.mapWith(Number),
    })
    .from(d)
    .groupBy(d.status);
  const byStatus = new Map(grouped.map((g) => [g.status, g]));
  const countOf = (...statuses: InvoiceStatus[]) => statuses.reduce((sum, s) => sum + (byStatus.get(s)?.n ?? 0), 0);
  const openCents = OPEN_STATUSES.reduce((sum, s) => sum + (byStatus.get(s)?.remaining ?? 0), 0);

  return {
    rows,
    stats: {
      open_count: countOf(...OPEN_STATUSES),
      paid_count: countOf("paid"),
      overdue_count: countOf("overdue"),
      open_amount: centsToNumber(openCents),
      open_amount_formatted: formatEuro(openCents),
    },
    meta: paginationMeta(page, perPage, total),
  };
}

type DerivedRow = Awaited<ReturnType<typeof listDerived>>["rows"][number];

function presentListRow(row: DerivedRow) {
  const remaining = row.grossCents - row.paidCents;
  return {
    id: row.id,
    invoice_number: row.invoiceNumber,
    title: row.title,
    kind: row.kind,
    kind_label: KIND_LABELS[row.kind],
    status: row.status,
    status_label: INVOICE_STATUS_LABELS[row.status],
    total_gross: centsToNumber(row.grossCents),
    total_gross_formatted: formatEuro(row.grossCents),
    remaining_amount: centsToNumber(row.status === "cancelled" ? 0 : remaining),
    remaining_amount_formatted: formatEuro(row.status === "cancelled" ? 0 : remaining),
    invoice_date: row.invoiceDate,
    due_date: row.dueDate,
  };
}

/**
 * GET /api/manage/invoices: the instance's issued invoices (drafts are never visible to
 * customers) with filters, statistics over all of them and pagination.
 * Statistics: open_count = sent + partially paid + overdue, open_amount = their remaining sum.
 */
export async function listInvoices(instanceId: number, filters: InvoiceListFilters = {}) {
  const today = todayIsoDate();
  const { rows, stats, meta } = await listDerived(
    and(eq(invoices.instanceId, instanceId), isNotNull(invoices.issuedAt)),
    filters,
    today,
  );
  return { invoices: rows.map(presentListRow), stats, meta };
}

/** Staff: all instances, drafts included, optional instance filter. */
export async function listInvoicesForStaff(filters: InvoiceListFilters & { instanceId?: number }) {
  const today = todayIsoDate();
  const { rows, stats, meta } = await listDerived(
    filters.instanceId ? eq(invoices.instanceId, filters.instanceId) : undefined,
    filters,
    today,
  );
  const db = await getDb();
  const ids = [...new Set(rows.map((r) => r.instanceId))];
  const names = ids.length
    ? await db.select({ id: instances.id, name: instances.name, companyName: instances.companyName }).from(instances).where(inArray(instances.id, ids))
    : [];
  const byId = new Map(names.map((n) => [n.id, n]));
  return {
    invoices: rows.map((row) => ({
      ...presentListRow(row),
      instance: { id: row.instanceId, name: byId.get(row.instanceId)?.name ?? null, company_name: byId.get(row.instanceId)?.companyName ?? null },
    })),
    stats,
    meta,
  };
}

// ---------------------------------------------------------------------------
// Detail

function lineFromRow(item: ItemRow): CalculatedLine {
  return {
    position: item.position,
    description: item.description,
    quantity_milli: item.quantityMilli,
    unit: item.unit,
    unit_price_cents: item.unitPriceCents,
    vat_rate: item.vatRate,
    net_cents: item.netCents,
  };
}

async function loadParts(db: Executor, invoiceId: number) {
  const items = await db.select().from(invoiceItems).where(eq(invoiceItems.invoiceId, invoiceId)).orderBy(asc(invoiceItems.position));
  const payments = await db
    .select()
    .from(invoicePayments)
    .where(eq(invoicePayments.invoiceId, invoiceId))
    .orderBy(asc(invoicePayments.paymentDate), asc(invoicePayments.id));
  return { items, payments };
}

function statusOf(row: InvoiceRow, paidCents: number, today = todayIsoDate()): InvoiceStatus {
  return deriveStatus({
    issued: row.issuedAt !== null,
    cancelled: row.cancelledAt !== null,
    gross_cents: row.grossCents,
    paid_cents: paidCents,
    due_date: row.dueDate,
    today,
  });
}

async function presentDetail(db: Executor, row: InvoiceRow, audience: "customer" | "staff") {
  const { items, payments } = await loadParts(db, row.id);
  const calc = summarizeLines(items.map(lineFromRow));
  const { paid_cents, remaining_cents } = summarizePayments(row.grossCents, payments.map((p) => ({ amount_cents: p.amountCents })));
  const status = statusOf(row, paid_cents);
  const remaining = status === "cancelled" ? 0 : remaining_cents;

  const related = await db
    .select({ id: invoices.id, invoiceNumber: invoices.invoiceNumber, cancelsInvoiceId: invoices.cancelsInvoiceId, issuedAt: invoices.issuedAt })
    .from(invoices)
    .where(or(eq(invoices.cancelsInvoiceId, row.id), row.cancelsInvoiceId ? eq(invoices.id, row.cancelsInvoiceId) : sql`false`));
  const cancels = related.find((r) => r.id === row.cancelsInvoiceId);
  const creditNote = related.find((r) => r.cancelsInvoiceId === row.id && r.issuedAt !== null);

  const money = (cents: number) => centsToNumber(cents);
  return {
    id: row.id,
    invoice_number: row.invoiceNumber,
    kind: row.kind,
    kind_label: KIND_LABELS[row.kind],
    title: row.title,
    status,
    status_label: INVOICE_STATUS_LABELS[status],
    invoice_date: row.invoiceDate,
    due_date: row.dueDate,
    service_period_start: row.servicePeriodStart,
    service_period_end: row.servicePeriodEnd,
    payment_terms_days: row.paymentTermsDays,
    recipient: row.recipient,
    notes: row.notes,
    reverse_charge: row.reverseCharge,
    issued_at: row.issuedAt?.toISOString() ?? null,
    cancelled_at: row.cancelledAt?.toISOString() ?? null,
    cancellation_reason: row.cancellationReason,
    cancels_invoice: cancels ? { id: cancels.id, invoice_number: cancels.invoiceNumber } : null,
    credit_note: creditNote ? { id: creditNote.id, invoice_number: creditNote.invoiceNumber } : null,
    total_gross: money(row.grossCents),
    remaining_amount: money(remaining),
    items: calc.lines.map((line) => ({
      position: line.position,
      description: line.description,
      quantity: Number(milliToDecimalString(line.quantity_milli)),
      quantity_formatted: formatQuantity(line.quantity_milli),
      unit: line.unit,
      unit_price: money(line.unit_price_cents),
      unit_price_formatted: formatEuro(line.unit_price_cents),
      vat_rate: line.vat_rate / 100,
      vat_rate_label: formatVatRate(line.vat_rate),
      net: money(line.net_cents),
      net_formatted: formatEuro(line.net_cents),
    })),
    tax_breakdown: calc.breakdown.map((entry) => ({
      vat_rate: entry.vat_rate / 100,
      vat_rate_label: formatVatRate(entry.vat_rate),
      net: money(entry.net_cents),
      vat: money(entry.vat_cents),
      gross: money(entry.gross_cents),
      net_formatted: formatEuro(entry.net_cents),
      vat_formatted: formatEuro(entry.vat_cents),
      gross_formatted: formatEuro(entry.gross_cents),
    })),
    totals: {
      net: money(calc.totals.net_cents),
      vat: money(calc.totals.vat_cents),
      gross: money(calc.totals.gross_cents),
      paid: money(paid_cents),
      remaining: money(remaining),
      net_formatted: formatEuro(calc.totals.net_cents),
      vat_formatted: formatEuro(calc.totals.vat_cents),
      gross_formatted: formatEuro(calc.totals.gross_cents),
      paid_formatted: formatEuro(paid_cents),
      remaining_formatted: formatEuro(remaining),
    },
    payments: payments.map((p) => ({
      id: p.id,
      payment_date: p.paymentDate,
      amount: money(p.amountCents),
      amount_formatted: formatEuro(p.amountCents),
      method: p.method,
      method_label: PAYMENT_METHOD_LABELS[p.method],
      reference: p.reference,
    })),
    has_pdf: row.issuedAt !== null,
    ...(audience === "staff" ? { instance_id: row.instanceId } : {}),
  };
}

export type InvoiceDetail = Awaited<ReturnType<typeof presentDetail>>;

function notFound(): never {
  throw new NotFoundError("Rechnung nicht gefunden.");
}

async function findVisibleRow(db: Executor, instanceId: number, id: number) {
  if (!Number.isSafeInteger(id) || id <= 0) notFound();
  const [row] = await db
    .select()
    .from(invoices)
    .where(and(eq(invoices.id, id), eq(invoices.instanceId, instanceId), isNotNull(invoices.issuedAt)));
  return row ?? notFound();
}

/** GET /api/manage/invoices/{id}: another instance's invoice and drafts are 404. */
export async function getInvoice(instanceId: number, id: number): Promise<InvoiceDetail> {
  const db = await getDb();
  const row = await findVisibleRow(db, instanceId, id);
  return presentDetail(db, row, "customer");
}

async function findRow(db: Executor, id: number, forUpdate = false) {
  if (!Number.isSafeInteger(id) || id <= 0) notFound();
  const query = db.select().from(invoices).where(eq(invoices.id, id));
  const [row] = forUpdate ? await query.for("update") : await query;
  return row ?? notFound();
}

export async function getInvoiceForStaff(id: number) {
  const db = await getDb();
  const row = await findRow(db, id);
  const [instance] = await db.select({ name: instances.name, companyName: instances.companyName }).from(instances).where(eq(instances.id, row.instanceId));
  return { ...(await presentDetail(db, row, "staff")), instance: { id: row.instanceId, name: instance?.name ?? null, company_name: instance?.companyName ?? null } };
}

// ---------------------------------------------------------------------------
// PDF

export { allocateInvoiceNumber, formatInvoiceNumber, pdfFilename };

function pdfDataFor(row: InvoiceRow, items: ItemRow[], cancelled: InvoiceRow | null): InvoicePdfData {
  const calc = summarizeLines(items.map(lineFromRow));
  return {
    kind: row.kind,
    invoice_number: row.invoiceNumber!,
    invoice_date: row.invoiceDate!,
    due_date: row.dueDate,
    service_period_start: row.servicePeriodStart,
    service_period_end: row.servicePeriodEnd,
    title: row.title,
    cancels_invoice_number: cancelled?.invoiceNumber ?? null,
    cancels_invoice_date: cancelled?.invoiceDate ?? null,
    recipient: row.recipient,
    items: calc.lines,
    breakdown: calc.breakdown,
    totals: calc.totals,
    notes: row.notes,
    reverse_charge: row.reverseCharge,
  };
}

async function renderFor(db: Executor, row: InvoiceRow, issuer: IssuerConfig): Promise<Buffer> {
  const { items } = await loadParts(db, row.id);
  const cancelled = row.cancelsInvoiceId ? await findRow(db, row.cancelsInvoiceId) : null;
  try {
    return await renderInvoicePdf(pdfDataFor(row, items, cancelled), issuer);
  } catch (error) {
    if (error instanceof InvoicePdfError) {
      throw new UnprocessableError(`Das Rechnungs-PDF konnte nicht erstellt werden: ${error.message}`);
    }
    throw error;
  }
}

/**
 * The archived PDF. Rendered once (when issued; seeded invoices on first download)
 * and stored — every download returns exactly these bytes.
 */
async function archivedPdf(db: Executor, row: InvoiceRow) {
  if (!row.issuedAt || !row.invoiceNumber) throw new NotFoundError("Für Entwürfe gibt es noch kein PDF.");
  let pdf = row.pdf;
  if (!pdf) {
    const issuer = (row.issuer as IssuerConfig | null) ?? currentIssuer();
    const rendered = await renderFor(db, row, issuer);
    // First writer wins; a concurrent first download reads the stored bytes.
    await db
      .update(invoices)
      .set({ pdf: rendered, pdfSha256: sha256(rendered) })
      .where(and(eq(invoices.id, row.id), isNull(invoices.pdf)));
    const [stored] = await db.select({ pdf: invoices.pdf }).from(invoices).where(eq(invoices.id, row.id));
    pdf = stored?.pdf ?? rendered;
  }
  return { filename: pdfFilename(row.invoiceNumber), bytes: pdf };
}

export async function getInvoicePdf(instanceId: number, id: number) {
  const db = await getDb();
  return archivedPdf(db, await findVisibleRow(db, instanceId, id));
}

export async function getInvoicePdfForStaff(id: number) {
  const db = await getDb();
  return archivedPdf(db, await findRow(db, id));
}

function sha256(bytes: Buffer) {
  return createHash("sha256").update(bytes).digest("hex");
}

// ---------------------------------------------------------------------------
// Staff: drafts

type Actor = { principal: Principal; ip?: string | null };

async function requireInstance(db: Executor, instanceId: number) {
  const [instance] = await db.select().from(instances).where(eq(instances.id, instanceId));
  if (!instance) throw new UnprocessableError("Diese Instanz gibt es nicht.");
  return instance;
}

/** The recipient used last for the instance, or the bare company name. */
export async function defaultRecipient(db: Executor, instanceId: number): Promise<InvoiceRecipientSnapshot> {
  const [last] = await db
    .select({ recipient: invoices.recipient })
    .from(invoices)
    .where(eq(invoices.instanceId, instanceId))
    .orderBy(desc(invoices.createdAt), desc(invoices.id))
    .limit(1);
  if (last) return last.recipient;
  const instance = await requireInstance(db, instanceId);
  return { company_name: instance.companyName, name: null, address_lines: [], vat_id: null, customer_number: null };
}

function itemRowsFor(invoiceId: number, items: DraftInput["items"]) {
  const rows = items.map((item, index) => ({
    invoiceId,
    position: index + 1,
    description: item.description,
    quantityMilli: item.quantity,
    unit: item.unit,
    unitPriceCents: item.unit_price,
    vatRate: item.vat_rate,
    netCents: lineNetCents(item.quantity, item.unit_price),
  }));
  return { rows, totals: summarizeLines(rows.map(lineFromInsert)).totals };
}

function lineFromInsert(l: { position: number; description: string; quantityMilli: number; unit: string; unitPriceCents: number; vatRate: number; netCents: number }): CalculatedLine {
  return {
    position: l.position,
    description: l.description,
    quantity_milli: l.quantityMilli,
    unit: l.unit,
    unit_price_cents: l.unitPriceCents,
    vat_rate: l.vatRate,
    net_cents: l.netCents,
  };
}

export async function createDraft(input: DraftInput, actor: Actor) {
  const db = await getDb();
  const id = await db.transaction(async (tx) => {
    const instance = await requireInstance(tx, input.instance_id);
    const recipient = input.recipient ?? (await defaultRecipient(tx, instance.id));
    const [row] = await tx
      .insert(invoices)
      .values({
        instanceId: instance.id,
        title: input.title,
        servicePeriodStart: input.service_period_start,
        servicePeriodEnd: input.service_period_end,
        paymentTermsDays: input.payment_terms_days ?? defaultPaymentTermsDays(),
        recipient,
        notes: input.notes,
        reverseCharge: input.reverse_charge,
        createdBy: actor.principal.userId,
      })
      .returning({ id: invoices.id });
    const { rows, totals } = itemRowsFor(row!.id, input.items);
    await tx.insert(invoiceItems).values(rows);
    await tx
      .update(invoices)
      .set({ netCents: totals.net_cents, vatCents: totals.vat_cents, grossCents: totals.gross_cents })
      .where(eq(invoices.id, row!.id));
    return row!.id;
  });
  await staffLog(actor, null, "invoice.draft_created", `Rechnungsentwurf „${input.title}“ angelegt`, { invoice_id: id, instance_id: input.instance_id });
  return getInvoiceForStaff(id);
}

function immutable(row: InvoiceRow): never {
  throw new ConflictError(
    `Die Rechnung ${row.invoiceNumber ?? ""} ist bereits ausgestellt und kann nicht mehr geändert werden. Korrekturen nur per Stornierung mit Stornorechnung.`.replace("  ", " "),
  );
}

export async function updateDraft(id: number, input: DraftInput, actor: Actor) {
  const db = await getDb();
  await db.transaction(async (tx) => {
    const row = await findRow(tx, id, true);
    if (row.issuedAt) immutable(row);
    const instance = await requireInstance(tx, input.instance_id);
    const recipient = input.recipient ?? (instance.id === row.instanceId ? row.recipient : await defaultRecipient(tx, instance.id));
    const { rows, totals } = itemRowsFor(id, input.items);
    await tx.delete(invoiceItems).where(eq(invoiceItems.invoiceId, id));
    await tx.insert(invoiceItems).values(rows);
    await tx
      .update(invoices)
      .set({
        instanceId: instance.id,
        title: input.title,
        servicePeriodStart: input.service_period_start,
        servicePeriodEnd: input.service_period_end,
        paymentTermsDays: input.payment_terms_days ?? row.paymentTermsDays,
        recipient,
        notes: input.notes,
        reverseCharge: input.reverse_charge,
        netCents: totals.net_cents,
        vatCents: totals.vat_cents,
        grossCents: totals.gross_cents,
        updatedAt: new Date(),
      })
      .where(and(eq(invoices.id, id), isNull(invoices.issuedAt)));
  });
  await staffLog(actor, null, "invoice.draft_updated", `Rechnungsentwurf „${input.title}“ geändert`, { invoice_id: id, instance_id: input.instance_id });
  return getInvoiceForStaff(id);
}

export async function deleteDraft(id: number, actor: Actor) {
  const db = await getDb();
  const row = await db.transaction(async (tx) => {
    const row = await findRow(tx, id, true);
    if (row.issuedAt) immutable(row);
    await tx.delete(invoices).where(and(eq(invoices.id, id), isNull(invoices.issuedAt)));
    return row;
  });
  await staffLog(actor, null, "invoice.draft_deleted", `Rechnungsentwurf „${row.title}“ gelöscht`, { invoice_id: id, instance_id: row.instanceId });
}

// ---------------------------------------------------------------------------
// Numbering and issuing

function assertIssuable(row: InvoiceRow, itemCount: number) {
  if (itemCount === 0) throw new UnprocessableError("Die Rechnung hat keine Positionen.");
  if (row.recipient.address_lines.length === 0) {
    throw new UnprocessableError("Die Anschrift des Empfängers fehlt. Bitte im Entwurf ergänzen (§14 UStG).");
  }
  if (row.reverseCharge && !row.recipient.vat_id) {
    throw new UnprocessableError("Bei Reverse Charge ist die USt-IdNr. des Empfängers Pflicht.");
  }
}

export type IssueOptions = { invoiceDate?: string; sendMail?: boolean };

export async function issueInvoice(id: number, actor: Actor, options: IssueOptions = {}) {
  const db = await getDb();
  const issuer = currentIssuer();
  const issued = await db.transaction(async (tx) => {
    const row = await findRow(tx, id, true);
    if (row.issuedAt) throw new ConflictError(`Die Rechnung ist bereits als ${row.invoiceNumber} ausgestellt.`);
    const { items } = await loadParts(tx, id);
    assertIssuable(row, items.length);
    const invoiceDate = options.invoiceDate ?? todayIsoDate();
    const invoiceNumber = await allocateInvoiceNumber(tx, Number(invoiceDate.slice(0, 4)));
    const dueDate = addDaysIso(invoiceDate, row.paymentTermsDays);
    const next: InvoiceRow = { ...row, invoiceNumber, invoiceDate, dueDate, issuedAt: new Date() };
    const pdf = await renderFor(tx, next, issuer);
    const [updated] = await tx
      .update(invoices)
      .set({
        invoiceNumber,
        invoiceDate,
        dueDate,
        issuedAt: next.issuedAt,
        issuer: issuer as unknown as Record<string, unknown>,
        pdf,
        pdfSha256: sha256(pdf),
        updatedAt: new Date(),
      })
      .where(and(eq(invoices.id, id), isNull(invoices.issuedAt)))
      .returning();
    return updated!;
  });

  await logActivity({
    instanceId: issued.instanceId,
    userId: actor.principal.userId,
    actorName: actor.principal.name,
    action: "invoice.issued",
    description: `Rechnung ${issued.invoiceNumber} über ${formatEuro(issued.grossCents)} ausgestellt`,
    metadata: { invoice_id: issued.id, invoice_number: issued.invoiceNumber },
    ip: actor.ip ?? null,
  });
  if (options.sendMail !== false) await mailToCustomerAdmins(issued, actor);
  return getInvoiceForStaff(issued.id);
}

/** Active users of the instance with the customer_admin role. */
async function customerAdminEmails(instanceId: number) {
  const db = await getDb();
  const rows = await db
    .selectDistinct({ email: users.email, name: users.name })
    .from(users)
    .innerJoin(userRoles, eq(userRoles.userId, users.id))
    .innerJoin(roles, eq(roles.key, userRoles.roleKey))
    .where(and(eq(users.instanceId, instanceId), eq(users.active, true), eq(roles.key, "customer_admin")));
  return rows;
}

async function mailToCustomerAdmins(row: InvoiceRow, actor: Actor) {
  const recipients = await customerAdminEmails(row.instanceId);
  const failed: string[] = [];
  for (const recipient of recipients) {
    try {
      await sendMail(invoiceIssuedMail({ to: recipient.email, name: recipient.name, invoice: row, attachment: row.pdf! }));
    } catch {
      failed.push(recipient.email);
    }
  }
  if (failed.length > 0) {
    await logActivity({
      instanceId: null,
      userId: actor.principal.userId,
      actorName: actor.principal.name,
      action: "invoice.mail_failed",
      description: `Rechnung ${row.invoiceNumber}: Versand an ${failed.join(", ")} fehlgeschlagen`,
      level: "error",
      metadata: { invoice_id: row.id, instance_id: row.instanceId },
      ip: actor.ip ?? null,
    });
  }
}

// ---------------------------------------------------------------------------
// Payments

export async function recordPayment(id: number, input: PaymentBody, actor: Actor) {
  const db = await getDb();
  const today = todayIsoDate();
  if (input.payment_date > today) {
    throw new UnprocessableError("Das Zahlungsdatum darf nicht in der Zukunft liegen.");
  }
  const row = await db.transaction(async (tx) => {
    const row = await findRow(tx, id, true);
    if (!row.issuedAt) throw new ConflictError("Zahlungen können erst nach dem Ausstellen erfasst werden.");
    if (row.cancelledAt) throw new ConflictError("Die Rechnung ist storniert; Zahlungen können nicht mehr erfasst werden.");
    const { payments } = await loadParts(tx, id);
    const { remaining_cents } = summarizePayments(row.grossCents, payments.map((p) => ({ amount_cents: p.amountCents })));
    const amount = input.amount;
    if (row.grossCents >= 0) {
      if (remaining_cents <= 0) throw new ConflictError("Die Rechnung ist bereits vollständig bezahlt.");
      if (amount < 0) throw new UnprocessableError("Der Betrag muss positiv sein.");
      if (amount > remaining_cents) {
        throw new UnprocessableError(`Der Betrag übersteigt den offenen Betrag von ${formatEuro(remaining_cents)}.`);
      }
    } else {
      if (remaining_cents >= 0) throw new ConflictError("Die Gutschrift ist bereits vollständig erstattet.");
      if (amount > 0) throw new UnprocessableError("Erstattungen einer Stornorechnung werden als negativer Betrag erfasst.");
      if (amount < remaining_cents) {
        throw new UnprocessableError(`Der Betrag übersteigt den zu erstattenden Betrag von ${formatEuro(-remaining_cents)}.`);
      }
    }
    await tx.insert(invoicePayments).values({
      invoiceId: id,
      paymentDate: input.payment_date,
      amountCents: amount,
      method: input.method,
      reference: input.reference,
      createdBy: actor.principal.userId,
    });
    await tx.update(invoices).set({ updatedAt: new Date() }).where(eq(invoices.id, id));
    return row;
  });
  await logActivity({
    instanceId: row.instanceId,
    userId: actor.principal.userId,
    actorName: actor.principal.name,
    action: "invoice.payment_recorded",
    description: `Zahlung über ${formatEuro(input.amount)} zu Rechnung ${row.invoiceNumber} erfasst`,
    metadata: { invoice_id: row.id, invoice_number: row.invoiceNumber, amount_cents: input.amount },
    ip: actor.ip ?? null,
  });
  return getInvoiceForStaff(id);
}

// ---------------------------------------------------------------------------
// Cancellation with credit note

export async function cancelInvoice(id: number, reason: string, actor: Actor, options: { invoiceDate?: string } = {}) {
  const db = await getDb();
  const issuer = currentIssuer();
  const result = await db.transaction(async (tx) => {
    const original = await findRow(tx, id, true);
    if (!original.issuedAt) throw new ConflictError("Entwürfe werden nicht storniert, sondern gelöscht.");
    if (original.kind === "credit_note") throw new ConflictError("Eine Stornorechnung kann nicht storniert werden.");
    if (original.cancelledAt) throw new ConflictError(`Die Rechnung ${original.invoiceNumber} ist bereits storniert.`);
    const { items, payments } = await loadParts(tx, id);
    const { paid_cents } = summarizePayments(original.grossCents, payments.map((p) => ({ amount_cents: p.amountCents })));

    const invoiceDate = options.invoiceDate ?? todayIsoDate();
    const invoiceNumber = await allocateInvoiceNumber(tx, Number(invoiceDate.slice(0, 4)));
    const negated = negateItems(
      items.map((item) => ({
        description: item.description,
        quantity: milliToDecimalString(item.quantityMilli),
        unit: item.unit,
        unit_price_cents: item.unitPriceCents,
        vat_rate: item.vatRate,
      })),
    );
    const lines = negated.map((item, index) => {
      const quantityMilli = parseQuantityToMilli(item.quantity);
      return {
        position: index + 1,
        description: item.description,
        quantityMilli,
        unit: item.unit,
        unitPriceCents: item.unit_price_cents,
        vatRate: item.vat_rate,
        netCents: lineNetCents(quantityMilli, item.unit_price_cents),
      };
    });
    const calc = summarizeLines(lines.map(lineFromInsert));
    const now = new Date();
    // Items first, then the issued state (the database refuses items on issued invoices).
    const [created] = await tx
      .insert(invoices)
      .values({
        instanceId: original.instanceId,
        kind: "credit_note",
        title: `Stornorechnung zu ${original.invoiceNumber}`,
        paymentTermsDays: original.paymentTermsDays,
        servicePeriodStart: original.servicePeriodStart,
        servicePeriodEnd: original.servicePeriodEnd,
        recipient: original.recipient,
        notes: `Grund der Stornierung: ${reason}${paid_cents > 0 ? `\nBereits gezahlte ${formatEuro(paid_cents)} werden Ihnen erstattet.` : ""}`,
        reverseCharge: original.reverseCharge,
        netCents: calc.totals.net_cents,
        vatCents: calc.totals.vat_cents,
        grossCents: calc.totals.gross_cents,
        cancelsInvoiceId: original.id,
        createdBy: actor.principal.userId,
      })
      .returning();
    await tx.insert(invoiceItems).values(lines.map((l) => ({ ...l, invoiceId: created!.id })));
    const issuedCredit: InvoiceRow = { ...created!, invoiceNumber, invoiceDate, dueDate: null, issuedAt: now };
    const pdf = await renderFor(tx, issuedCredit, issuer);
    const [credit] = await tx
      .update(invoices)
      .set({ invoiceNumber, invoiceDate, dueDate: null, issuedAt: now, issuer: issuer as unknown as Record<string, unknown>, pdf, pdfSha256: sha256(pdf) })
      .where(eq(invoices.id, created!.id))
      .returning();
    // The unpaid part of the original is settled by the credit note itself; what the
    // customer already paid remains open on the credit note as a refund.
    const unpaid = original.grossCents - paid_cents;
    if (unpaid !== 0) {
      await tx.insert(invoicePayments).values({
        invoiceId: credit!.id,
        paymentDate: invoiceDate,
        amountCents: -unpaid,
        method: "offset",
        reference: `Verrechnung mit ${original.invoiceNumber}`,
        createdBy: actor.principal.userId,
      });
    }
    await tx.update(invoices).set({ cancelledAt: now, cancellationReason: reason, updatedAt: now }).where(eq(invoices.id, original.id));
    return { original, credit: credit! };
  });

  await logActivity({
    instanceId: result.original.instanceId,
    userId: actor.principal.userId,
    actorName: actor.principal.name,
    action: "invoice.cancelled",
    description: `Rechnung ${result.original.invoiceNumber} storniert (Stornorechnung ${result.credit.invoiceNumber})`,
    metadata: { invoice_id: result.original.id, credit_note_id: result.credit.id, reason },
    ip: actor.ip ?? null,
  });
  await mailToCustomerAdmins(result.credit, actor);
  return { invoice: await getInvoiceForStaff(result.original.id), credit_note: await getInvoiceForStaff(result.credit.id) };
}

// ---------------------------------------------------------------------------

async function staffLog(actor: Actor, instanceId: number | null, action: string, description: string, metadata: Record<string, unknown>) {
  await logActivity({
    instanceId,
    userId: actor.principal.userId,
    actorName: actor.principal.name,
    action,
    description,
    metadata,
    ip: actor.ip ?? null,
  });
}

/** Instances for the staff draft form, each with the recipient used on its latest invoice. */
export async function listRecipients() {
  const db = await getDb();
  const rows = await db.select({ id: instances.id, name: instances.name, companyName: instances.companyName }).from(instances).orderBy(asc(instances.name));
  const latest = await db
    .selectDistinctOn([invoices.instanceId], { instanceId: invoices.instanceId, recipient: invoices.recipient })
    .from(invoices)
    .orderBy(invoices.instanceId, desc(invoices.createdAt), desc(invoices.id));
  const byInstance = new Map(latest.map((r) => [r.instanceId, r.recipient]));
  return {
    instances: rows.map((row) => ({
      id: row.id,
      name: row.name,
      company_name: row.companyName,
      recipient: byInstance.get(row.id) ?? { company_name: row.companyName, name: null, address_lines: [], vat_id: null, customer_number: null },
    })),
  };
}
