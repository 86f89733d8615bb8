"use client";

import { useQuery } from "@tanstack/react-query";
import { GiroCodeImage } from "@/components/payments/girocode-image";
import { apiFetch } from "@/lib/client/api";
import { formatDate } from "@/lib/client/format";
import type { StatusResponse } from "@/lib/client/types";
import type { PaymentInfo } from "./types";

/** What a suspended customer has to pay: open invoices, total, bank details and the GiroCode (from /status). */
export function PaymentDue({ payment }: { payment: PaymentInfo }) {
  if (payment.open_invoices.length === 0) return null;
  return (
    <section className="rounded-xl border border-red-200 bg-white p-6 text-left shadow-sm" data-testid="payment-due" aria-labelledby="payment-due-title">
      <h2 id="payment-due-title" className="text-lg font-semibold text-slate-900">
        Offene Rechnungen bezahlen
      </h2>
      {payment.lifted_on_payment ? (
        <div className="mt-1 space-y-1 text-sm text-slate-600" data-testid="reactivation-explained">
          <p>
            <strong className="font-medium text-slate-800">So wird die Sperre aufgehoben:</strong> Überweisen Sie den Betrag mit dem Verwendungszweck unten.
            Sobald Ihre Zahlung bei uns verbucht ist – automatisch beim Einlesen unseres Kontoauszugs oder von unserem Team von Hand – und keine Rechnung mehr
            überfällig ist, hebt das Portal die Sperre automatisch auf. Sie erhalten dann eine E-Mail, und Server, Domains und Rechnungen sind sofort wieder
            verfügbar.
          </p>
          <p>Sie müssen sich dafür nicht beim Support melden. Der Verwendungszweck hilft, Ihre Zahlung ohne Rückfrage zuzuordnen.</p>
        </div>
      ) : (
        <p className="mt-1 text-sm text-slate-600">
          Die Sperre hat der Support gesetzt; er hebt sie auch wieder auf. Bitte begleichen Sie die offenen Rechnungen und wenden Sie sich an den Support.
        </p>
      )}
      <table className="mt-4 min-w-full text-sm">
        <thead>
          <tr className="text-left text-slate-500">
            <th className="py-1 pr-4 font-medium">Rechnung</th>
            <th className="py-1 pr-4 font-medium">Fällig am</th>
            <th className="py-1 text-right font-medium">Offen</th>
          </tr>
        </thead>
        <tbody>
          {payment.open_invoices.map((i) => (
            <tr key={i.number} className="border-t border-slate-100">
              <td className="py-2 pr-4 font-medium">{i.number}</td>
              <td className={`py-2 pr-4 ${i.overdue ? "text-red-700" : ""}`}>
                {formatDate(i.due_date)}
                {i.overdue ? " (überfällig)" : ""}
              </td>
              <td className="py-2 text-right tabular-nums">{i.amount_formatted}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr className="border-t-2 border-slate-300 font-semibold">
            <td className="py-2 pr-4" colSpan={2}>
              Zu zahlen
            </td>
            <td className="py-2 text-right tabular-nums" data-testid="amount-due">
              {payment.amount_due_formatted}
            </td>
          </tr>
        </tfoot>
      </table>
      {payment.open_invoices.some((i) => i.pdf_download) && (
        <ul className="mt-3 space-y-1 text-sm" aria-label="Rechnungen als PDF" data-testid="invoice-pdfs">
          {payment.open_invoices.map((i) =>
            i.pdf_download ? (
              <li key={i.number} className="flex flex-wrap items-baseline gap-x-2">
                <span className="text-slate-600">{i.number}:</span>
                <a href={i.pdf_download.url} download className="font-medium text-brand-700 underline" aria-label={`PDF herunterladen: Rechnung ${i.number}`}>
                  PDF herunterladen
                </a>
              </li>
            ) : null,
          )}
          <li className="text-xs text-slate-500">Die Links gelten 15 Minuten; die Seite erneuert sie von selbst.</li>
        </ul>
      )}
      {payment.bank_details && (
        <dl className="mt-4 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm" data-testid="bank-details">
          <dt className="text-slate-500">Kontoinhaber</dt>
          <dd>{payment.bank_details.account_holder}</dd>
          <dt className="text-slate-500">IBAN</dt>
          <dd className="font-mono">{payment.bank_details.iban}</dd>
          <dt className="text-slate-500">BIC</dt>
          <dd className="font-mono">{payment.bank_details.bic}</dd>
          <dt className="text-slate-500">Bank</dt>
          <dd>{payment.bank_details.bank_name}</dd>
          <dt className="text-slate-500">Verwendungszweck</dt>
          <dd>{payment.open_invoices.map((i) => i.number).join(" ")}</dd>
        </dl>
      )}
      {payment.girocode && <GiroCodeImage payload={payment.girocode.payload} />}
    </section>
  );
}

/** For pages other than the overview: loads /status and shows what to pay (reloaded each minute: the PDF links last 15 minutes). */
export function SuspendedPayment() {
  const query = useQuery({ queryKey: ["status"], queryFn: () => apiFetch<StatusResponse>("/api/manage/status"), refetchInterval: 60_000 });
  const payment = query.data?.payment;
  return payment ? (
    <div className="mt-6">
      <PaymentDue payment={payment} />
    </div>
  ) : null;
}
