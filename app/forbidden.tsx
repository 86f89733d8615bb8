import Link from "next/link";

/** HTTP 403 page (forbidden()): e.g. a customer opening a staff URL. */
export default function Forbidden() {
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="max-w-md rounded-xl border border-slate-200 bg-white p-8 text-center shadow-sm">
        <p className="text-sm font-semibold text-red-700">Fehler 403</p>
        <h1 className="mt-1 text-2xl font-bold text-slate-900">Kein Zugriff</h1>
        <p className="mt-2 text-slate-600">
          Diese Seite ist MSP-Mitarbeitern vorbehalten oder Ihnen fehlt die nötige Berechtigung.
        </p>
        <Link href="/" className="mt-4 inline-block text-brand-700 underline">
          Zur Übersicht
        </Link>
      </div>
    </main>
  );
}
