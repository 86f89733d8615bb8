import Link from "next/link";
import { SuspendedPayment } from "@/components/dunning/payment-due";

/** Says what the suspension locks and what stays open (the seed: /auth/* and /status; the invoice PDFs through signed links). */
export function SuspendedBanner({ reason, supportEmail }: { reason: string | null; supportEmail: string }) {
  return (
    <div role="alert" className="border-b border-red-200 bg-red-50 px-4 py-3 text-sm text-red-900 sm:px-6" data-testid="suspended-banner">
      <strong className="font-semibold">Ihre Instanz ist gesperrt.</strong> {reason ? `Grund: ${reason}. ` : ""}
      Gesperrt sind Server, Domains, die Rechnungsübersicht und das Aktivitätsprotokoll. Weiterhin für Sie da: die{" "}
      <Link className="underline" href="/">
        Statusübersicht
      </Link>{" "}
      mit den offenen Rechnungen als PDF zum Herunterladen, Bankverbindung und GiroCode, und Ihr Konto. Fragen beantwortet der Support unter{" "}
      <a className="underline" href={`mailto:${supportEmail}`}>
        {supportEmail}
      </a>
      .
    </div>
  );
}

export function SuspendedNotice({ reason }: { reason: string | null }) {
  return (
    <div className="mx-auto max-w-xl rounded-xl border border-red-200 bg-white p-8 text-center shadow-sm">
      <h1 className="text-xl font-semibold text-red-800">Bereich nicht verfügbar</h1>
      <p className="mt-2 text-slate-700">
        Ihre Instanz ist gesperrt{reason ? ` (${reason})` : ""}. Solange die Sperre besteht, ist nur die Statusübersicht erreichbar – dort finden Sie auch die
        offenen Rechnungen als PDF.
      </p>
      <Link href="/" className="mt-4 inline-block text-brand-700 underline">
        Zur Statusübersicht
      </Link>
      <SuspendedPayment />
    </div>
  );
}
