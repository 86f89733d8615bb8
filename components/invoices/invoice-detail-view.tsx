import { GiroCodeImage } from "@/components/payments/girocode-image";
import { PaymentDetails } from "@/components/payments/payment-details";
import { Card } from "@/components/ui/card";
import { formatDate, formatDateTime } from "@/lib/client/format";
import { InvoiceStatusBadge } from "./status-badge";
import type { InvoiceDetail } from "./types";

/** Read-only presentation of an invoice: header, items, tax breakdown, totals, payments. */
export function InvoiceDetailView({ invoice, actions, linkBase }: { invoice: InvoiceDetail; actions?: React.ReactNode; linkBase: string }) {
  const heading = invoice.invoice_number ? `${invoice.kind_label} ${invoice.invoice_number}` : "Rechnungsentwurf";
  return (
    <div className="space-y-5">
      <div className="flex flex-col gap-3 sm:flex-row sm:items-start sm:justify-between">
        <div className="min-w-0">
          <h1 className="text-2xl font-bold">{heading}</h1>
          <p className="text-slate-600">{invoice.title}</p>
        </div>
        <InvoiceStatusBadge status={invoice.status} label={invoice.status_label} />
      </div>
      {actions}
      {invoice.cancelled_at && (
        <p className="rounded-lg border border-slate-200 bg-slate-50 px-4 py-3 text-sm">
          Storniert am {formatDateTime(invoice.cancelled_at)}
          {invoice.cancellation_reason ? ` – ${invoice.cancellation_reason}` : ""}
          {invoice.credit_note && (
            <>
              {" "}· Stornorechnung{" "}
              <a className="font-medium text-brand-700 underline" href={`${linkBase}/${invoice.credit_note.id}`}>
                {invoice.credit_note.invoice_number}
              </a>
            </>
          )}
        </p>
      )}
      {invoice.cancels_invoice && (
        <p className="rounded-lg border border-slate-200 bg-slate-50 px-4 py-3 text-sm">
          Storniert die Rechnung{" "}
          <a className="font-medium text-brand-700 underline" href={`${linkBase}/${invoice.cancels_invoice.id}`}>
            {invoice.cancels_invoice.invoice_number}
          </a>
        </p>
      )}

      <Card>
        <dl className="grid grid-cols-1 gap-x-6 gap-y-3 text-sm sm:grid-cols-2 lg:grid-cols-4">
          <Info label="Rechnungsdatum" value={formatDate(invoice.invoice_date)} />
          <Info label="Fällig am" value={invoice.due_date ? formatDate(invoice.due_date) : "–"} />
          <Info label="Leistungszeitraum" value={`${formatDate(invoice.service_period_start)} – ${formatDate(invoice.service_period_end)}`} />
          <Info
            label="Empfänger"
            value={[invoice.recipient.company_name, ...(invoice.recipient.name ? [`z. Hd. ${invoice.recipient.name}`] : []), ...invoice.recipient.address_lines].join(", ")}
          />
        </dl>
      </Card>

      <Card title="Positionen">
        <div className="-mx-5 overflow-x-auto" tabIndex={0} role="region" aria-label="Positionen (seitlich scrollbar)">
          <table className="w-full min-w-[36rem] text-sm">
            <thead>
              <tr className="border-b border-slate-200 text-left text-xs uppercase tracking-wide text-slate-500">
                <th scope="col" className="px-5 py-2">Pos.</th>
                <th scope="col" className="px-2 py-2">Beschreibung</th>
                <th scope="col" className="px-2 py-2 text-right">Menge</th>
                <th scope="col" className="px-2 py-2 text-right">Einzelpreis</th>
                <th scope="col" className="px-2 py-2 text-right">USt.</th>
                <th scope="col" className="px-5 py-2 text-right">Netto</th>
              </tr>
            </thead>
            <tbody>
              {invoice.items.map((item) => (
                <tr key={item.position} className="border-b border-slate-100 align-top">
                  <td className="px-5 py-2">{item.position}</td>
                  <td className="px-2 py-2">{item.description}</td>
                  <td className="px-2 py-2 text-right tabular-nums whitespace-nowrap">
                    {item.quantity_formatted} {item.unit}
                  </td>
                  <td className="px-2 py-2 text-right tabular-nums whitespace-nowrap">{item.unit_price_formatted}</td>
                  <td className="px-2 py-2 text-right tabular-nums">{item.vat_rate_label}</td>
                  <td className="px-5 py-2 text-right tabular-nums whitespace-nowrap">{item.net_formatted}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <dl className="mt-4 ml-auto max-w-sm space-y-1 text-sm" data-testid="invoice-totals">
          <TotalRow label="Summe netto" value={invoice.totals.net_formatted} />
          {invoice.tax_breakdown.map((entry) => (
            <TotalRow key={entry.vat_rate} label={`Umsatzsteuer ${entry.vat_rate_label} auf ${entry.net_formatted}`} value={entry.vat_formatted} />
          ))}
          <TotalRow label="Gesamtbetrag brutto" value={invoice.totals.gross_formatted} strong />
          <TotalRow label="Bezahlt" value={invoice.totals.paid_formatted} />
          <TotalRow label="Offener Betrag" value={invoice.totals.remaining_formatted} strong />
        </dl>
        {invoice.direct_debit && (
          <div className="mt-4 space-y-1 rounded-lg border border-slate-200 p-4 text-sm" data-testid="direct-debit">
            <p className="font-semibold">
              SEPA-Lastschrift: {invoice.direct_debit.status_label}
              {invoice.direct_debit.return_reason ? ` (${invoice.direct_debit.return_reason})` : ""}
            </p>
            {invoice.direct_debit.status === "returned" ? (
              <p>Die Lastschrift kam zurück. Bitte überweisen Sie den offenen Betrag.</p>
            ) : (
              <p>{invoice.direct_debit.notice}</p>
            )}
          </div>
        )}
        {invoice.payment_details ? (
          <div className="mt-4 flex flex-col gap-4 rounded-lg border border-slate-200 p-4 sm:flex-row sm:items-start">
            {invoice.girocode && <GiroCodeImage payload={invoice.girocode} />}
            <PaymentDetails details={invoice.payment_details} />
          </div>
        ) : (
          invoice.girocode && <GiroCodeImage payload={invoice.girocode} />
        )}
        {invoice.reverse_charge && <p className="mt-3 text-sm text-slate-600">Steuerschuldnerschaft des Leistungsempfängers (Reverse Charge)</p>}
        {invoice.notes && <p className="mt-3 whitespace-pre-line text-sm text-slate-600">{invoice.notes}</p>}
      </Card>

      <Card title="Zahlungen">
        {invoice.payments.length === 0 ? (
          <p className="text-sm text-slate-500">Noch keine Zahlungen erfasst.</p>
        ) : (
          <ul className="divide-y divide-slate-100 text-sm" data-testid="payments">
            {invoice.payments.map((payment) => (
              <li key={payment.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
                <span>
                  {formatDate(payment.payment_date)} · {payment.method_label}
                  {payment.reference ? ` · ${payment.reference}` : ""}
                </span>
                <span className="font-medium tabular-nums">{payment.amount_formatted}</span>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}

function Info({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <dt className="text-slate-500">{label}</dt>
      <dd className="font-medium text-slate-900">{value}</dd>
    </div>
  );
}

function TotalRow({ label, value, strong = false }: { label: string; value: string; strong?: boolean }) {
  return (
    <div className={`flex justify-between gap-4 ${strong ? "border-t border-slate-200 pt-1 font-semibold" : ""}`}>
      <dt>{label}</dt>
      <dd className="tabular-nums whitespace-nowrap">{value}</dd>
    </div>
  );
}

export function PdfLinks({ href }: { href: string }) {
  return (
    <div className="flex flex-wrap gap-2">
      <a
        href={href}
        download
        className="inline-flex min-h-10 items-center rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700"
      >
        PDF herunterladen
      </a>
      <a
        href={`${href}?inline=1`}
        target="_blank"
        rel="noopener"
        className="inline-flex min-h-10 items-center rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-medium text-slate-800 hover:bg-slate-100"
      >
        PDF im Browser ansehen
      </a>
    </div>
  );
}
