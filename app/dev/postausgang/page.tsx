import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { config } from "@/lib/config";
import { readOutbox } from "@/lib/mail";

export const metadata: Metadata = { title: "Postausgang (Entwicklung)" };
export const dynamic = "force-dynamic";

/** Development only: mails the portal would have sent (reset links, 2FA codes, invoices). */
export default async function OutboxPage() {
  if (!config().devTools || config().mailTransport !== "outbox") notFound();
  const mails = await readOutbox(undefined, 50);
  return (
    <main className="mx-auto max-w-3xl space-y-4 px-4 py-8">
      <h1 className="text-2xl font-bold">Postausgang (nur Entwicklung)</h1>
      <p className="text-sm text-slate-600">Ohne RESEND_API_KEY werden Mails hier gesammelt statt versendet.</p>
      {mails.length === 0 && <p className="text-slate-500">Noch keine Mails.</p>}
      {mails.map((mail) => (
        <article key={mail.id} className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
          <p className="text-xs text-slate-500">
            {mail.createdAt.toLocaleString("de-DE", { timeZone: "Europe/Berlin" })} · an {mail.to}
          </p>
          <h2 className="font-semibold">{mail.subject}</h2>
          <pre className="mt-2 whitespace-pre-wrap break-words font-sans text-sm">{mail.text}</pre>
          {mail.attachments?.map((a) => (
            <p key={a.filename} className="text-xs text-slate-500">
              Anhang: {a.filename} ({Math.round(a.size / 1024)} KB)
            </p>
          ))}
        </article>
      ))}
    </main>
  );
}
