"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useId } from "react";
import { Alert, EmptyState, LoadingBlock } from "@/components/ui/card";
import { apiFetch } from "@/lib/client/api";
import { formatDate } from "@/lib/client/format";
import { plural } from "@/lib/client/plural";
import { useUrlState } from "@/lib/client/url-state";
import { Pagination } from "@/components/ui/pagination";
import { InvoiceListControls } from "./list-controls";
import { InvoiceStatusBadge } from "./status-badge";
import type { InvoiceListResponse } from "./types";

const PER_PAGE = 10;

/** Sort choices of the list: URL value → API `sort`/`dir` and the German label. */
const SORT_OPTIONS = [
  { value: "", sort: "", dir: "", label: "Neueste zuerst" },
  { value: "datum-auf", sort: "date", dir: "asc", label: "Rechnungsdatum aufsteigend" },
  { value: "nummer-auf", sort: "number", dir: "asc", label: "Rechnungsnummer aufsteigend" },
  { value: "nummer-ab", sort: "number", dir: "desc", label: "Rechnungsnummer absteigend" },
  { value: "betrag-ab", sort: "amount", dir: "desc", label: "Betrag absteigend" },
  { value: "betrag-auf", sort: "amount", dir: "asc", label: "Betrag aufsteigend" },
  { value: "faellig-auf", sort: "due_date", dir: "asc", label: "Fälligkeit aufsteigend" },
] as const;

/** The current year in Europe/Berlin and the five before it. */
function yearChoices(): string[] {
  const current = Number(new Intl.DateTimeFormat("de-DE", { year: "numeric", timeZone: "Europe/Berlin" }).format(new Date()));
  return Array.from({ length: 6 }, (_, i) => String(current - i));
}

function StatCard({ label, value, tone, testId }: { label: string; value: string; tone: string; testId: string }) {
  return (
    <div className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm" data-testid={testId}>
      <p className="text-sm text-slate-500">{label}</p>
      <p className={`mt-1 text-2xl font-bold ${tone}`}>{value}</p>
    </div>
  );
}

/** Customer: the four statistics, filter, search, list and pagination. */
export function InvoiceList() {
  const [url, setUrl] = useUrlState(["status", "suche", "seite", "sortierung", "jahr"] as const);
  const status = url.status;
  const search = url.suche;
  const year = /^\d{4}$/.test(url.jahr) ? url.jahr : "";
  const sortOption = SORT_OPTIONS.find((option) => option.value === url.sortierung) ?? SORT_OPTIONS[0];
  const page = Math.max(1, Number.parseInt(url.seite, 10) || 1);
  const setPage = (next: number) => setUrl({ seite: next > 1 ? String(next) : "" });
  const params = new URLSearchParams({ page: String(page), per_page: String(PER_PAGE) });
  if (status) params.set("status", status);
  if (search) params.set("search", search);
  if (year) params.set("year", year);
  if (sortOption.sort) {
    params.set("sort", sortOption.sort);
    params.set("dir", sortOption.dir);
  }
  const sortId = useId();
  const yearId = useId();
  const query = useQuery({
    queryKey: ["invoices", page, status, search, year, sortOption.value],
    queryFn: () => apiFetch<InvoiceListResponse>(`/api/manage/invoices?${params}`),
    placeholderData: keepPreviousData,
  });
  const data = query.data;
  const filtered = Boolean(status || search || year);

  return (
    <div className="space-y-5">
      <h1 className="text-2xl font-bold">Rechnungen</h1>
      {query.isError && <Alert kind="error">{query.error.message}</Alert>}
      {query.isPending && <LoadingBlock label="Rechnungen werden geladen …" />}
      {data && (
        <>
          <section aria-label="Statistik" className="grid grid-cols-2 gap-3 lg:grid-cols-4">
            <StatCard testId="stat-open" label="Offene Rechnungen" value={String(data.stats.open_count)} tone="text-sky-700" />
            <StatCard testId="stat-paid" label="Bezahlt" value={String(data.stats.paid_count)} tone="text-emerald-700" />
            <StatCard testId="stat-overdue" label="Überfällig" value={String(data.stats.overdue_count)} tone={data.stats.overdue_count > 0 ? "text-red-700" : "text-slate-900"} />
            <StatCard testId="stat-open-amount" label="Offener Betrag" value={data.stats.open_amount_formatted} tone="text-slate-900" />
          </section>
          <InvoiceListControls
            status={status}
            initialSearch={search}
            onStatus={(value) => {
              setUrl({ status: value, seite: "" });
            }}
            onSearch={(value) => {
              setUrl({ suche: value, seite: "" });
            }}
          >
            <div className="space-y-1">
              <label htmlFor={yearId} className="block text-sm font-medium text-slate-700">
                Jahr
              </label>
              <select
                id={yearId}
                value={year}
                onChange={(e) => setUrl({ jahr: e.target.value, seite: "" })}
                className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-base shadow-sm sm:text-sm"
              >
                <option value="">Alle Jahre</option>
                {yearChoices().map((choice) => (
                  <option key={choice} value={choice}>
                    {choice}
                  </option>
                ))}
              </select>
            </div>
            <div className="space-y-1">
              <label htmlFor={sortId} className="block text-sm font-medium text-slate-700">
                Sortierung
              </label>
              <select
                id={sortId}
                value={sortOption.value}
                onChange={(e) => setUrl({ sortierung: e.target.value, seite: "" })}
                className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-base shadow-sm sm:text-sm"
              >
                {SORT_OPTIONS.map((option) => (
                  <option key={option.value} value={option.value}>
                    {option.label}
                  </option>
                ))}
              </select>
            </div>
          </InvoiceListControls>
          {year && data.invoices.length > 0 && (
            <p className="text-sm text-slate-600">
              {status || search ? "" : `${plural(data.meta.total, "Rechnung", "Rechnungen")} aus ${year}. `}
              <a
                href={`/api/manage/invoices/archive?year=${year}`}
                download
                className="font-medium text-brand-700 underline hover:text-brand-800"
                data-testid="invoice-archive-download"
              >
                Alle PDFs aus {year} als ZIP herunterladen
              </a>{" "}
              (für die Buchhaltung)
            </p>
          )}
          {data.invoices.length === 0 ? (
            <EmptyState title={filtered ? "Keine Rechnungen gefunden" : "Noch keine Rechnungen"}>
              {filtered ? "Passen Sie Filter oder Suchbegriff an." : "Sobald wir Ihnen eine Rechnung stellen, erscheint sie hier."}
            </EmptyState>
          ) : (
            <>
              <ul className="divide-y divide-slate-100 rounded-xl border border-slate-200 bg-white" aria-busy={query.isFetching} aria-label="Rechnungsliste">
                {data.invoices.map((invoice) => (
                  <li key={invoice.id} data-testid="invoice-row">
                    <Link
                      href={`/rechnungen/${invoice.id}`}
                      className="flex flex-col gap-2 px-4 py-3 hover:bg-slate-50 sm:flex-row sm:items-center sm:justify-between"
                    >
                      <div className="min-w-0">
                        <p className="font-medium text-slate-900">
                          <span className="font-mono">{invoice.invoice_number}</span> · {invoice.title}
                        </p>
                        <p className="text-xs text-slate-500">
                          {invoice.kind === "credit_note" ? "Stornorechnung · " : ""}vom {formatDate(invoice.invoice_date)}
                          {invoice.due_date ? ` · fällig am ${formatDate(invoice.due_date)}` : ""}
                        </p>
                      </div>
                      <div className="flex items-center justify-between gap-3 sm:justify-end">
                        <div className="text-right">
                          <p className="font-semibold tabular-nums">{invoice.total_gross_formatted}</p>
                          {invoice.remaining_amount !== 0 && invoice.remaining_amount !== invoice.total_gross && (
                            <p className="text-xs text-slate-500 tabular-nums">offen: {invoice.remaining_amount_formatted}</p>
                          )}
                        </div>
                        <InvoiceStatusBadge status={invoice.status} label={invoice.status_label} />
                      </div>
                    </Link>
                  </li>
                ))}
              </ul>
              <Pagination meta={data.meta} onPage={setPage} noun="Rechnungen" />
            </>
          )}
        </>
      )}
    </div>
  );
}
