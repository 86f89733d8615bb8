"use client";

import { CopyButton } from "@/components/domains/copy-button";
import type { InvoiceDetail } from "@/components/invoices/types";

type Details = NonNullable<InvoiceDetail["payment_details"]>;

/**
 * The GiroCode's transfer data as text, each with a copy button: on a phone the QR code cannot be
 * scanned, and typing an IBAN is where transfers go wrong. The IBAN is shown in groups of four but
 * copied without spaces; the amount is copied as banking apps expect it ("225,98").
 */
export function PaymentDetails({ details }: { details: Details }) {
  const rows: Array<{ label: string; shown: string; copied: string; mono?: boolean; testId: string }> = [
    { label: "Jetzt fälliger Betrag", shown: details.amount_formatted, copied: (details.amount_cents / 100).toFixed(2).replace(".", ","), testId: "pay-amount" },
    { label: "Kontoinhaber", shown: details.account_holder, copied: details.account_holder, testId: "pay-holder" },
    { label: "IBAN", shown: details.iban_grouped, copied: details.iban, mono: true, testId: "pay-iban" },
    { label: "BIC", shown: details.bic, copied: details.bic, mono: true, testId: "pay-bic" },
    { label: "Verwendungszweck", shown: details.reference, copied: details.reference, testId: "pay-reference" },
  ];
  return (
    <section className="min-w-0 flex-1" aria-labelledby="payment-details-title" data-testid="payment-details">
      <h3 id="payment-details-title" className="text-sm font-semibold text-slate-900">
        Per Überweisung bezahlen
      </h3>
      <dl className="mt-2 divide-y divide-slate-100 text-sm">
        {rows.map((row) => (
          <div key={row.label} className="flex flex-wrap items-center justify-between gap-x-3 gap-y-1 py-1.5">
            <dt className="w-full text-slate-500 sm:w-44">{row.label}</dt>
            {/* The copy button sits inside the dd: a dl's row may hold only dt and dd. */}
            <dd className="flex min-w-0 flex-1 flex-wrap items-center justify-between gap-x-3 gap-y-1">
              <span className={`min-w-0 break-words ${row.mono ? "font-mono" : ""} ${row.testId === "pay-amount" ? "font-semibold" : ""}`} data-testid={row.testId}>
                {row.shown}
              </span>
              <CopyButton value={row.copied} label={row.label} />
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
