/**
 * Reads: lists with filters, statistics and pagination, and the detail, for
 * customers (issued invoices of their own instance only; drafts and other
 * instances are 404) and for staff (all instances, drafts included).
 * Statistics: open_count = sent + partially paid + overdue, open_amount =
 * their remaining sum, overdue_count ⊂ open_count.
 */
import { directDebitNotice } from "@/lib/sepa/prenotification";
import { todayIsoDate } from "@/lib/time";
import { and, asc, count, desc, eq, gte, ilike, inArray, isNotNull, lt, or, sql, type Placeholder, type SQL } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { preparedQuery } from "@/db/prepared";
import { instances, invoices, sepaDebits } from "@/db/schema";
import type { DbOrTx } from "@/db/types";
import { paginationMeta } from "@/lib/activity";
import { type InvoiceStatus } from "@/lib/invoices/calc";
import { presentDetail, presentListRow, presentStaffDetail, presentStaffListRow, type DetailParts, type InvoiceDetail } from "@/lib/invoices/present";
import { findRow, findVisibleRow, loadParts, type InvoiceRow } from "@/lib/invoices/rows";
import type { CustomerStatusFilter, InvoiceSort, SortDirection, StaffStatusFilter } from "@/lib/invoices/schemas";
import { derivedSubquery, OPEN_STATUSES } from "@/lib/invoices/status-sql";
import { centsToNumber, formatEuro } from "@/lib/money";

export type { InvoiceDetail };
export type InvoiceListFilters = {
  status?: CustomerStatusFilter | StaffStatusFilter;
  search?: string;
  /** Calendar year of the invoice date. */
  year?: number;
  sort?: InvoiceSort;
  dir?: SortDirection;
  page?: number;
  perPage?: number;
};

/** invoice_date within the calendar year (drafts without a date never match). */
function yearCondition(column: Parameters<typeof gte>[0], year: number | undefined) {
  return year === undefined ? undefined : and(gte(column, `${year}-01-01`), lt(column, `${year + 1}-01-01`));
}

function escapeLike(value: string) {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The chosen column first, then newest first as the tie-breaker, so pages never overlap. */
function listOrder(d: ReturnType<typeof derivedSubquery>, filters: InvoiceListFilters): SQL[] {
  const newest = [sql`${d.invoiceDate} desc nulls first`, desc(d.createdAt), desc(d.id)];
  if (!filters.sort) return newest;
  const direction = filters.dir ?? (filters.sort === "date" ? "desc" : "asc");
  const column = { date: d.invoiceDate, number: d.invoiceNumber, amount: d.grossCents, due_date: d.dueDate }[filters.sort];
  const ordered = direction === "asc" ? sql`${column} asc nulls last` : sql`${column} desc nulls last`;
  return [ordered, ...newest];
}

async function listDerived(baseWhere: SQL | undefined, filters: InvoiceListFilters) {
  const db = await getDb();
  const page = filters.page ?? 1;
  const perPage = filters.perPage ?? 15;
  const d = derivedSubquery(db, baseWhere, todayIsoDate());

  const conditions: SQL[] = [];
  if (filters.status === "open") conditions.push(inArray(d.status, OPEN_STATUSES));
  else if (filters.status) conditions.push(eq(d.status, filters.status));
  const pattern = filters.search ? `%${escapeLike(filters.search)}%` : null;
  if (pattern) conditions.push(or(ilike(d.invoiceNumber, pattern), ilike(d.title, pattern))!);
  const inYear = yearCondition(d.invoiceDate, filters.year);
  if (inYear) conditions.push(inYear);
  const where = conditions.length > 0 ? and(...conditions) : undefined;

  // Without a status filter the count needs no payments: an index-only scan of the invoices alone.
  const countQuery = filters.status
    ? db.select({ total: count() }).from(d).where(where)
    : db
        .select({ total: count() })
        .from(invoices)
        .where(
          and(
            baseWhere,
            pattern ? or(ilike(invoices.invoiceNumber, pattern), ilike(invoices.title, pattern)) : undefined,
            yearCondition(invoices.invoiceDate, filters.year),
          ),
        );
  // Count, page and statistics are independent: three pool connections, one round trip of latency.
  const [[{ total }], rows, grouped] = await Promise.all([
    countQuery,
    db
      .select()
      .from(d)
      .where(where)
      .orderBy(...listOrder(d, filters))
      .limit(perPage)
      .offset((page - 1) * perPage),
    // Statistics over everything in scope, independent of the filters.
    db
      .select({
        status: d.status,
        n: count(),
        remaining: sql<number>`coalesce(sum(${d.grossCents} - ${d.paidCents}), 0)`.mapWith(Number),
      })
      .from(d)
      .groupBy(d.status),
  ]);
  return { rows, stats: statistics(grouped), meta: paginationMeta(page, perPage, total) };
}

/** open_count = sent + partially paid + overdue, open_amount = their remaining sum, overdue_count ⊂ open_count. */
function statistics(grouped: { status: InvoiceStatus; n: number; remaining: number }[]) {
  const byStatus = new Map(grouped.map((g) => [g.status, g]));
  const countOf = (...statuses: InvoiceStatus[]) => statuses.reduce((sum, s) => sum + (byStatus.get(s)?.n ?? 0), 0);
  const openCents = OPEN_STATUSES.reduce((sum, s) => sum + (byStatus.get(s)?.remaining ?? 0), 0);
  return {
    open_count: countOf(...OPEN_STATUSES),
    paid_count: countOf("paid"),
    overdue_count: countOf("overdue"),
    open_amount: centsToNumber(openCents),
    open_amount_formatted: formatEuro(openCents),
  };
}

/**
 * The customer's list as it opens (no filter, default order; every invoice page
 * view): the same three queries as `listDerived`, built once as prepared queries.
 */
function customerListQueries(db: Db) {
  return preparedQuery(db, "invoice_list_default", (db) => {
    const q = customerListSelects(db);
    return { count: q.count.prepare("invoice_list_count"), page: q.page.prepare("invoice_list_page"), stats: q.stats.prepare("invoice_list_stats") };
  });
}

/** The three queries of the default list as builders (placeholders `instanceId`, `today`, `limit`, `offset`); the benchmark's bare server renders them too. */
export function customerListSelects(db: Db) {
  const instanceId = sql.placeholder("instanceId");
  const issuedOfInstance = and(eq(invoices.instanceId, instanceId), isNotNull(invoices.issuedAt));
  const d = derivedSubquery(db, issuedOfInstance, sql.placeholder("today"));
  return {
    count: db.select({ total: count() }).from(invoices).where(issuedOfInstance),
    page: db
      .select()
      .from(d)
      .orderBy(...listOrder(d, {}))
      .limit(sql.placeholder("limit") as unknown as number)
      .offset(sql.placeholder("offset") as unknown as number),
    stats: db
      .select({ status: d.status, n: count(), remaining: sql<number>`coalesce(sum(${d.grossCents} - ${d.paidCents}), 0)`.mapWith(Number) })
      .from(d)
      .groupBy(d.status),
  };
}

async function listDefault(instanceId: number, page: number, perPage: number) {
  const q = customerListQueries(await getDb());
  const today = todayIsoDate();
  const [[{ total }], rows, grouped] = await Promise.all([
    q.count.execute({ instanceId }),
    q.page.execute({ instanceId, today, limit: perPage, offset: (page - 1) * perPage }),
    q.stats.execute({ instanceId, today }),
  ]);
  return { rows, stats: statistics(grouped), meta: paginationMeta(page, perPage, total) };
}

/** GET /api/manage/invoices and /api/v1/invoices: the instance's issued invoices. */
/**
 * Issued invoices of one tenant, or of every tenant (`instanceId` null: MSP
 * staff through API v1; each item then names its `tenant_id`).
 */
export async function listInvoices(instanceId: number | null, filters: InvoiceListFilters = {}) {
  if (instanceId === null) {
    const { rows, stats, meta } = await listDerived(isNotNull(invoices.issuedAt), filters);
    const db = await getDb();
    const ids = [...new Set(rows.map((r) => r.instanceId))];
    const uuids = new Map(ids.length ? (await db.select({ id: instances.id, uuid: instances.uuid }).from(instances).where(inArray(instances.id, ids))).map((r) => [r.id, r.uuid]) : []);
    return { invoices: rows.map((row) => ({ ...presentListRow(row), tenant_id: uuids.get(row.instanceId)! })), stats, meta };
  }
  const defaultView = !filters.status && !filters.search && filters.year === undefined && !filters.sort;
  const { rows, stats, meta } = defaultView
    ? await listDefault(instanceId, filters.page ?? 1, filters.perPage ?? 15)
    : await listDerived(and(eq(invoices.instanceId, instanceId), isNotNull(invoices.issuedAt)), filters);
  return { invoices: rows.map(presentListRow), stats, meta };
}

async function instanceNames(db: DbOrTx, ids: number[]) {
  const unique = [...new Set(ids)];
  const rows = unique.length
    ? await db.select({ id: instances.id, name: instances.name, companyName: instances.companyName }).from(instances).where(inArray(instances.id, unique))
    : [];
  return new Map(rows.map((r) => [r.id, r]));
}

/** Staff: all instances, drafts included, optional instance filter. */
export async function listInvoicesForStaff(filters: InvoiceListFilters & { instanceId?: number }) {
  const { rows, stats, meta } = await listDerived(filters.instanceId ? eq(invoices.instanceId, filters.instanceId) : undefined, filters);
  const names = await instanceNames(await getDb(), rows.map((r) => r.instanceId));
  return { invoices: rows.map((row) => presentStaffListRow(row, names.get(row.instanceId))), stats, meta };
}

/** Items, payments and the credit note relation of one invoice. */
async function detailParts(db: DbOrTx, row: InvoiceRow): Promise<DetailParts> {
  // Independent reads: one round trip of latency.
  const [{ items, payments }, related] = await Promise.all([loadParts(db, row.id), relatedInvoicesSelect(db, row.id, row.cancelsInvoiceId)]);
  const cancels = related.find((r) => r.id === row.cancelsInvoiceId) ?? null;
  const creditNote = related.find((r) => r.cancelsInvoiceId === row.id && r.issuedAt !== null) ?? null;
  const notice = await directDebitNotice(db, row.id);
  const [debitRow] = notice ? await debitStateSelect(db, row.id) : [];
  const debit = notice && debitRow ? { notice, status: debitRow.status, returnReason: debitRow.returnReason } : null;
  return { items, payments, cancels, creditNote, debit };
}

/** The invoice's credit notes and the invoice a credit note cancels (a builder: `detailParts`, the benchmark's bare server). */
export function relatedInvoicesSelect(db: DbOrTx, invoiceId: number | Placeholder, cancelsInvoiceId: number | Placeholder | null) {
  return db
    .select({ id: invoices.id, invoiceNumber: invoices.invoiceNumber, cancelsInvoiceId: invoices.cancelsInvoiceId, issuedAt: invoices.issuedAt })
    .from(invoices)
    .where(or(eq(invoices.cancelsInvoiceId, invoiceId), cancelsInvoiceId ? eq(invoices.id, cancelsInvoiceId) : sql`false`));
}

/** Status and return reason of the invoice's direct debit (a builder: `detailParts`, the benchmark's bare server). */
export function debitStateSelect(db: DbOrTx, invoiceId: number | Placeholder) {
  return db.select({ status: sepaDebits.status, returnReason: sepaDebits.returnReason }).from(sepaDebits).where(eq(sepaDebits.invoiceId, invoiceId));
}

/** GET /api/manage/invoices/{id}: another instance's invoice and drafts are 404. */
export async function getInvoice(instanceId: number | null, id: number): Promise<InvoiceDetail> {
  const db = await getDb();
  const row = await findVisibleRow(db, instanceId, id, { withPdf: false });
  return presentDetail(row, await detailParts(db, row));
}

/** `db`: a caller's transaction, so a command that joined it can show what it wrote before the commit. */
export async function getInvoiceForStaff(id: number, db?: DbOrTx) {
  db ??= await getDb();
  const row = await findRow(db, id);
  const names = await instanceNames(db, [row.instanceId]);
  return presentStaffDetail(row, await detailParts(db, row), names.get(row.instanceId));
}

export type StaffInvoiceDetail = Awaited<ReturnType<typeof getInvoiceForStaff>>;

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
