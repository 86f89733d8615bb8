/**
 * The JSON shapes of invoices, for customers (manage API, API v1, portal) and
 * for staff (admin API). Pure: the queries load the rows, these functions only
 * reshape them. Amounts as euro numbers plus German `*_formatted` strings,
 * dates `YYYY-MM-DD`, timestamps through `apiTimestamp`.
 */
import { INVOICE_STATUS_LABELS, formatQuantity, formatVatRate, milliToDecimalString, summarizeLines, summarizePayments, type InvoiceStatus } from "@/lib/invoices/calc";
import { lineFromItem, statusOf, type InvoiceRow, type ItemRow, type PaymentRow } from "@/lib/invoices/rows";
import { PAYMENT_METHOD_LABELS } from "@/lib/invoices/schemas";
import { centsToNumber, formatEuro } from "@/lib/money";
import { apiTimestamp } from "@/lib/time";
import { debitNoticeText, type DirectDebitNotice } from "@/lib/sepa/notice";
import { DEBIT_STATUS_LABELS } from "@/lib/sepa/prenotification";
import { detailGiroCode, detailPaymentDetails } from "@/lib/invoices/girocode";

export const KIND_LABELS = { invoice: "Rechnung", credit_note: "Stornorechnung" } as const;

/** A row of the status subquery (`status-sql.ts`). */
export type ListRow = {
  id: number;
  instanceId: number;
  kind: InvoiceRow["kind"];
  invoiceNumber: string | null;
  title: string;
  invoiceDate: string | null;
  dueDate: string | null;
  grossCents: number;
  paidCents: number;
  status: InvoiceStatus;
};

export type InstanceName = { name: string; companyName: string } | undefined;

export function presentListRow(row: ListRow) {
  const remaining = row.status === "cancelled" ? 0 : row.grossCents - row.paidCents;
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
    remaining_amount: centsToNumber(remaining),
    remaining_amount_formatted: formatEuro(remaining),
    invoice_date: row.invoiceDate,
    due_date: row.dueDate,
  };
}

function presentInstance(instanceId: number, instance: InstanceName) {
  return { id: instanceId, name: instance?.name ?? null, company_name: instance?.companyName ?? null };
}

/** Staff list row: the customer row plus the instance it belongs to. */
export function presentStaffListRow(row: ListRow, instance: InstanceName) {
  return { ...presentListRow(row), instance: presentInstance(row.instanceId, instance) };
}

/** Everything the detail needs besides the row itself. */
export type DetailParts = {
  items: ItemRow[];
  payments: PaymentRow[];
  /** The invoice this credit note cancels. */
  cancels: { id: number; invoiceNumber: string | null } | null;
  /** The issued credit note that cancels this invoice. */
  creditNote: { id: number; invoiceNumber: string | null } | null;
  /** The SEPA direct debit the invoice announced (lib/sepa/prenotification.ts). */
  debit?: { notice: DirectDebitNotice; status: "announced" | "submitted" | "returned"; returnReason: string | null } | null;
};

/** Detail as customers see it (GET /api/manage/invoices/{id}, /api/v1/invoices/{id}). */
export function presentDetail(row: InvoiceRow, parts: DetailParts) {
  const calc = summarizeLines(parts.items.map(lineFromItem));
  const { paid_cents, remaining_cents } = summarizePayments(row.grossCents, parts.payments.map((p) => ({ amount_cents: p.amountCents })));
  const status = statusOf(row, paid_cents);
  const remaining = status === "cancelled" ? 0 : remaining_cents;
  // A debit still to come (or under way) replaces the transfer request.
  const debitPending = parts.debit != null && parts.debit.status !== "returned";
  const money = centsToNumber;
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
    issued_at: apiTimestamp(row.issuedAt),
    cancelled_at: apiTimestamp(row.cancelledAt),
    cancellation_reason: row.cancellationReason,
    cancels_invoice: parts.cancels ? { id: parts.cancels.id, invoice_number: parts.cancels.invoiceNumber } : null,
    credit_note: parts.creditNote ? { id: parts.creditNote.id, invoice_number: parts.creditNote.invoiceNumber } : null,
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
    payments: parts.payments.map((p) => ({
      id: p.id,
      payment_date: p.paymentDate,
      amount: money(p.amountCents),
      amount_formatted: formatEuro(p.amountCents),
      method: p.method,
      method_label: PAYMENT_METHOD_LABELS[p.method],
      reference: p.reference,
    })),
    has_pdf: row.issuedAt !== null,
    /** EPC069-12 payload (GiroCode) for the open amount; null unless the invoice is open. */
    girocode: debitPending ? null : detailGiroCode(row, status, remaining),
    /** The GiroCode's data as text (amount due now, holder, IBAN, BIC, reference); null unless open. */
    payment_details: (() => {
      const details = debitPending ? null : detailPaymentDetails(row, status, remaining);
      return details && { ...details, amount: money(details.amount_cents), amount_formatted: formatEuro(details.amount_cents) };
    })(),
    direct_debit: parts.debit
      ? {
          status: parts.debit.status,
          status_label: DEBIT_STATUS_LABELS[parts.debit.status],
          amount: money(parts.debit.notice.amount_cents),
          amount_formatted: formatEuro(parts.debit.notice.amount_cents),
          collection_date: parts.debit.notice.collection_date,
          mandate_reference: parts.debit.notice.mandate_reference,
          creditor_id: parts.debit.notice.creditor_id,
          scheme: parts.debit.notice.scheme,
          iban_masked: parts.debit.notice.iban_masked,
          notice: debitNoticeText(parts.debit.notice, row.invoiceNumber ?? ""),
          return_reason: parts.debit.returnReason,
        }
      : null,
  };
}

export type InvoiceDetail = ReturnType<typeof presentDetail>;

/** Detail for staff: drafts included, with the instance. */
export function presentStaffDetail(row: InvoiceRow, parts: DetailParts, instance: InstanceName) {
  return { ...presentDetail(row, parts), instance_id: row.instanceId, instance: presentInstance(row.instanceId, instance) };
}
