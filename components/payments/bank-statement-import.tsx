"use client";

import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Button } from "@/components/ui/button";
import { Alert, Card } from "@/components/ui/card";
import { ApiError, apiFetch } from "@/lib/client/api";
import { plural } from "@/lib/client/plural";
import type { AssignResult, BankEntry, ImportResult } from "./types";

const ENTRIES_KEY = ["bank-entries", "unmatched"];

async function uploadStatement(file: File): Promise<ImportResult> {
  const form = new FormData();
  form.append("file", file);
  const res = await fetch("/api/manage/admin/bank-statements", { method: "POST", body: form, credentials: "same-origin" });
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw new ApiError(res.status, (data as { message?: string }).message ?? "Der Import ist fehlgeschlagen.");
  return data as ImportResult;
}

/** Staff: upload a CAMT.053 statement, see what was matched, assign the rest by hand. */
export function BankStatementImport({ canWrite }: { canWrite: boolean }) {
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const upload = useMutation({
    mutationFn: uploadStatement,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ENTRIES_KEY }),
  });
  const open = useQuery({
    queryKey: ENTRIES_KEY,
    queryFn: () => apiFetch<{ entries: BankEntry[] }>("/api/manage/admin/bank-statements/entries?status=unmatched"),
  });

  return (
    <div className="space-y-5">
      <h1 className="text-2xl font-semibold text-slate-900">Zahlungseingänge</h1>
      {canWrite && (
        <Card title="Kontoauszug importieren (CAMT.053)">
          <form
            className="flex flex-col gap-3 sm:flex-row sm:items-center"
            onSubmit={(event) => {
              event.preventDefault();
              if (file) upload.mutate(file);
            }}
          >
            <label className="text-sm text-slate-700">
              <span className="sr-only">CAMT.053-Datei</span>
              <input type="file" accept=".xml,application/xml,text/xml" onChange={(event) => setFile(event.target.files?.[0] ?? null)} />
            </label>
            <Button type="submit" busy={upload.isPending} disabled={!file}>
              Importieren
            </Button>
          </form>
          <p className="mt-2 text-xs text-slate-500">Höchstens 5 MB. Bereits importierte Buchungen werden erkannt und nicht doppelt gebucht.</p>
          {upload.error && (
            <div className="mt-3">
              <Alert kind="error">{upload.error.message}</Alert>
            </div>
          )}
          {upload.data && <ImportSummary result={upload.data} />}
        </Card>
      )}
      <Card title="Nicht zugeordnete Zahlungseingänge">
        {open.isLoading ? (
          <p className="text-sm text-slate-500">Wird geladen …</p>
        ) : open.error ? (
          <Alert kind="error">{open.error.message}</Alert>
        ) : open.data && open.data.entries.length > 0 ? (
          <EntryTable entries={open.data.entries} canWrite={canWrite} />
        ) : (
          <p className="text-sm text-slate-500">Alle Zahlungseingänge sind zugeordnet.</p>
        )}
      </Card>
    </div>
  );
}

function ImportSummary({ result }: { result: ImportResult }) {
  const s = result.summary;
  return (
    <div className="mt-4 space-y-3" data-testid="import-summary">
      <Alert kind="success" title="Import abgeschlossen">
        {plural(s.entries, "Buchung", "Buchungen")} gelesen, {s.new_entries} neu ({s.duplicates} bereits bekannt): {s.matched} zugeordnet, {s.partially_matched} mit Überzahlung,{" "}
        {s.unmatched} nicht zugeordnet, {s.ignored} ignoriert.
      </Alert>
      {result.entries.length > 0 && <EntryTable entries={result.entries} canWrite={false} />}
    </div>
  );
}

function EntryTable({ entries, canWrite }: { entries: BankEntry[]; canWrite: boolean }) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm">
        <thead className="text-xs uppercase text-slate-500">
          <tr>
            <th className="py-2 pr-3">Datum</th>
            <th className="py-2 pr-3">Auftraggeber</th>
            <th className="py-2 pr-3">Verwendungszweck</th>
            <th className="py-2 pr-3 text-right">Betrag</th>
            <th className="py-2 pr-3 text-right">Offen</th>
            <th className="py-2 pr-3">Status</th>
            {canWrite && <th className="py-2">Zuordnen</th>}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {entries.map((entry) => (
            <tr key={entry.id} className="align-top">
              <td className="py-2 pr-3 whitespace-nowrap">{entry.booking_date.split("-").reverse().join(".")}</td>
              <td className="py-2 pr-3">{entry.debtor_name ?? "–"}</td>
              <td className="py-2 pr-3">
                {entry.remittance_text ?? "–"}
                {entry.note && <p className="text-xs text-slate-500">{entry.note}</p>}
                {entry.allocations.map((a) => (
                  <p key={`${a.invoice_id}-${a.amount}`} className="text-xs text-emerald-700">
                    {a.amount_formatted} → {a.invoice_number}
                  </p>
                ))}
              </td>
              <td className="py-2 pr-3 text-right whitespace-nowrap">{entry.amount_formatted}</td>
              <td className="py-2 pr-3 text-right whitespace-nowrap">{entry.open_amount_formatted}</td>
              <td className="py-2 pr-3">{entry.status_label}</td>
              {canWrite && (
                <td className="py-2">
                  <AssignForm entry={entry} />
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function AssignForm({ entry }: { entry: BankEntry }) {
  const queryClient = useQueryClient();
  const [invoiceId, setInvoiceId] = useState("");
  const assign = useMutation({
    mutationFn: () => apiFetch<AssignResult>(`/api/manage/admin/bank-statements/entries/${entry.id}/assign`, { method: "POST", body: { invoice_id: invoiceId } }),
    onSuccess: () => {
      setInvoiceId("");
      return queryClient.invalidateQueries({ queryKey: ENTRIES_KEY });
    },
  });
  return (
    <form
      className="flex items-center gap-2"
      onSubmit={(event) => {
        event.preventDefault();
        assign.mutate();
      }}
    >
      <label className="sr-only" htmlFor={`assign-${entry.id}`}>
        Rechnungs-ID
      </label>
      <input
        id={`assign-${entry.id}`}
        inputMode="numeric"
        placeholder="Rechnungs-ID"
        className="w-28 rounded border border-slate-300 px-2 py-1 text-sm"
        value={invoiceId}
        onChange={(event) => setInvoiceId(event.target.value)}
      />
      <Button type="submit" variant="secondary" busy={assign.isPending} disabled={!invoiceId}>
        Zuordnen
      </Button>
      {assign.error && <span className="text-xs text-red-700">{assign.error.message}</span>}
    </form>
  );
}
