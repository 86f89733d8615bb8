"use client";

import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Button } from "@/components/ui/button";
import { Alert, Card } from "@/components/ui/card";
import { ApiError, apiFetch } from "@/lib/client/api";
import { plural } from "@/lib/client/plural";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import type { AssignResult, BankEntry, ImportResult, Suggestion, Suggestions, UnassignResult } from "./types";

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
  const recent = useQuery({
    queryKey: ["bank-entries", "matched"],
    queryFn: () => apiFetch<{ entries: BankEntry[] }>("/api/manage/admin/bank-statements/entries?status=matched&limit=20"),
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
      <Card title="Zuletzt zugeordnete Zahlungseingänge">
        {recent.data && recent.data.entries.length > 0 ? (
          <EntryTable entries={recent.data.entries} canWrite={canWrite} />
        ) : (
          <p className="text-sm text-slate-500">{recent.isLoading ? "Wird geladen …" : "Noch keine zugeordneten Zahlungseingänge."}</p>
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
                  <p key={a.id} className={`text-xs ${a.undone ? "text-slate-400 line-through" : "text-emerald-700"}`}>
                    {a.amount_formatted} → {a.invoice_number}
                    {a.undone && <span className="no-underline"> (aufgehoben: {a.undo_reason})</span>}
                    {canWrite && a.undoable && <UndoButton entry={entry} allocation={a} />}
                  </p>
                ))}
              </td>
              <td className="py-2 pr-3 text-right whitespace-nowrap">{entry.amount_formatted}</td>
              <td className="py-2 pr-3 text-right whitespace-nowrap">{entry.open_amount_formatted}</td>
              <td className="py-2 pr-3">{entry.status_label}</td>
              {canWrite && <td className="py-2">{entry.open_amount > 0 && entry.status !== "ignored" ? <AssignForm entry={entry} /> : null}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

type Part = { key: number; invoice_number: string; amount: string };

/** Assign one entry: by invoice number, from the ranked suggestions or a customer search; several rows split the payment. */
function AssignForm({ entry }: { entry: BankEntry }) {
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [search, setSearch] = useState("");
  const [q, setQ] = useState("");
  const [parts, setParts] = useState<Part[]>([{ key: 1, invoice_number: "", amount: "" }]);
  const suggestions = useQuery({
    queryKey: ["bank-entry-suggestions", entry.id, q],
    queryFn: () => apiFetch<Suggestions>(`/api/manage/admin/bank-statements/entries/${entry.id}/suggestions${q ? `?q=${encodeURIComponent(q)}` : ""}`),
    enabled: open,
  });
  const filled = parts.filter((p) => p.invoice_number.trim() !== "");
  const assign = useMutation({
    mutationFn: () =>
      apiFetch<AssignResult>(`/api/manage/admin/bank-statements/entries/${entry.id}/assign`, {
        method: "POST",
        body:
          filled.length === 1 && !filled[0]!.amount.trim()
            ? { invoice_number: filled[0]!.invoice_number }
            : { allocations: filled.map((p) => ({ invoice_number: p.invoice_number, ...(p.amount.trim() ? { amount: p.amount } : {}) })) },
      }),
    onSuccess: () => {
      setParts([{ key: 1, invoice_number: "", amount: "" }]);
      setOpen(false);
      return queryClient.invalidateQueries({ queryKey: ["bank-entries"] });
    },
  });
  const take = (s: Suggestion) =>
    setParts((current) => {
      const empty = current.findIndex((p) => p.invoice_number.trim() === "");
      const row = { invoice_number: s.invoice_number, amount: "" };
      if (empty >= 0) return current.map((p, i) => (i === empty ? { ...p, ...row } : p));
      return [...current, { key: Math.max(...current.map((p) => p.key)) + 1, ...row }];
    });
  if (!open) {
    return (
      <Button type="button" variant="secondary" onClick={() => setOpen(true)} aria-label={`Buchung über ${entry.open_amount_formatted} zuordnen`}>
        Zuordnen …
      </Button>
    );
  }
  return (
    <div className="w-full min-w-[18rem] space-y-3 rounded-md border border-slate-200 bg-slate-50 p-3 sm:min-w-[26rem]" data-testid={`assign-${entry.id}`}>
      <form
        className="flex gap-2"
        role="search"
        onSubmit={(event) => {
          event.preventDefault();
          setQ(search.trim());
        }}
      >
        <label className="sr-only" htmlFor={`search-${entry.id}`}>
          Kunde suchen
        </label>
        <input
          id={`search-${entry.id}`}
          type="search"
          placeholder="Firma, Ansprechpartner, E-Mail, Domain, Rechnungsnr."
          className="min-w-0 flex-1 rounded border border-slate-300 px-2 py-1 text-sm"
          value={search}
          onChange={(event) => setSearch(event.target.value)}
        />
        <Button type="submit" variant="secondary">
          Suchen
        </Button>
      </form>
      <div>
        <p className="text-xs font-medium text-slate-600">{q ? `Offene Rechnungen zu „${q}“` : "Vorschläge (Rechnungsnummer, Betrag, Auftraggeber)"}</p>
        {suggestions.isLoading ? (
          <p className="text-xs text-slate-500">Wird geladen …</p>
        ) : suggestions.error ? (
          <p className="text-xs text-red-700">{suggestions.error.message}</p>
        ) : suggestions.data && suggestions.data.suggestions.length > 0 ? (
          <ul className="mt-1 divide-y divide-slate-200 text-sm" aria-label="Vorschläge">
            {suggestions.data.suggestions.map((s) => (
              <li key={s.invoice_id} className="flex flex-wrap items-center justify-between gap-2 py-1">
                <span>
                  <span className="font-medium">{s.invoice_number}</span> · {s.company_name} · offen {s.open_amount_formatted}
                  <span className="block text-xs text-slate-500">{s.reasons.join(" · ")}</span>
                </span>
                <Button type="button" variant="ghost" className="min-h-8 px-2 py-1" onClick={() => take(s)} aria-label={`${s.invoice_number} übernehmen`}>
                  Übernehmen
                </Button>
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-xs text-slate-500">Keine offene Rechnung gefunden.</p>
        )}
      </div>
      <form
        className="space-y-2"
        onSubmit={(event) => {
          event.preventDefault();
          assign.mutate();
        }}
      >
        {parts.map((part, index) => (
          <div key={part.key} className="flex flex-wrap items-end gap-2">
            <label className="text-xs text-slate-600">
              Rechnungsnummer {parts.length > 1 ? index + 1 : ""}
              <input
                className="mt-0.5 block w-36 rounded border border-slate-300 px-2 py-1 text-sm"
                placeholder="RE-2026-0014"
                value={part.invoice_number}
                onChange={(event) => setParts((c) => c.map((p) => (p.key === part.key ? { ...p, invoice_number: event.target.value } : p)))}
              />
            </label>
            <label className="text-xs text-slate-600">
              Betrag (€) {parts.length > 1 ? index + 1 : ""}
              <input
                className="mt-0.5 block w-28 rounded border border-slate-300 px-2 py-1 text-sm"
                inputMode="decimal"
                placeholder="offener Betrag"
                value={part.amount}
                onChange={(event) => setParts((c) => c.map((p) => (p.key === part.key ? { ...p, amount: event.target.value } : p)))}
              />
            </label>
            {parts.length > 1 && (
              <Button type="button" variant="ghost" className="min-h-8 px-2 py-1" onClick={() => setParts((c) => c.filter((p) => p.key !== part.key))} aria-label={`Zeile ${index + 1} entfernen`}>
                Entfernen
              </Button>
            )}
          </div>
        ))}
        <div className="flex flex-wrap items-center gap-2">
          <Button type="button" variant="ghost" onClick={() => setParts((c) => [...c, { key: Math.max(...c.map((p) => p.key)) + 1, invoice_number: "", amount: "" }])}>
            Weitere Rechnung (aufteilen)
          </Button>
          <Button type="submit" busy={assign.isPending} disabled={filled.length === 0}>
            {filled.length > 1 ? "Aufgeteilt zuordnen" : "Zuordnen"}
          </Button>
          <Button type="button" variant="secondary" onClick={() => setOpen(false)}>
            Abbrechen
          </Button>
        </div>
        <p className="text-xs text-slate-500">Ohne Betrag erhält eine Rechnung ihren offenen Betrag, höchstens den Rest der Buchung ({entry.open_amount_formatted}).</p>
        {assign.error && (
          <p role="alert" className="text-sm text-red-700">
            {assign.error.message}
          </p>
        )}
      </form>
    </div>
  );
}

/** Undo a wrong assignment: asks first, with a reason for the log. */
function UndoButton({ entry, allocation }: { entry: BankEntry; allocation: BankEntry["allocations"][number] }) {
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const undo = useMutation({
    mutationFn: () => apiFetch<UnassignResult>(`/api/manage/admin/bank-statements/entries/${entry.id}/unassign`, { method: "POST", body: { allocation_id: allocation.id, reason } }),
    onSuccess: () => {
      setOpen(false);
      setReason("");
      return queryClient.invalidateQueries({ queryKey: ["bank-entries"] });
    },
  });
  return (
    <>
      <button type="button" className="ml-2 text-xs text-red-700 underline" onClick={() => setOpen(true)}>
        Rückgängig
      </button>
      <ConfirmDialog
        open={open}
        title="Zuordnung aufheben?"
        confirmLabel="Zuordnung aufheben"
        confirmDisabled={reason.trim().length < 3 || undo.isPending}
        onCancel={() => setOpen(false)}
        onConfirm={() => undo.mutate()}
      >
        <p>
          Die Zahlung über {allocation.amount_formatted} auf {allocation.invoice_number} wird mit einer Gegenbuchung zurückgenommen; die Rechnung ist danach wieder offen und der
          Betrag wieder auf der Bankbuchung. Der Vorgang wird mit Grund protokolliert.
        </p>
        <label className="mt-3 block text-sm font-medium">
          Grund
          <input className="mt-1 block w-full rounded border border-slate-300 px-2 py-1" value={reason} onChange={(event) => setReason(event.target.value)} />
        </label>
        {undo.error && (
          <p role="alert" className="mt-2 text-red-700">
            {undo.error.message}
          </p>
        )}
      </ConfirmDialog>
    </>
  );
}
