"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useId, useState } from "react";
import { Alert, EmptyState, LoadingBlock } from "@/components/ui/card";
import { apiFetch } from "@/lib/client/api";
import { formatDate } from "@/lib/client/format";
import { Pagination } from "@/components/ui/pagination";
import { InvoiceListControls } from "./list-controls";
import { InvoiceStatusBadge } from "./status-badge";
import type { RecipientsResponse, StaffInvoiceListResponse } from "./types";

const PER_PAGE = 20;

/** Staff: all instances' invoices including drafts. */
export function StaffInvoiceList({ canWrite }: { canWrite: boolean }) {
  const [page, setPage] = useState(1);
  const [status, setStatus] = useState("");
  const [search, setSearch] = useState("");
  const [instanceId, setInstanceId] = useState("");
  const instanceSelectId = useId();
  const params = new URLSearchParams({ page: String(page), per_page: String(PER_PAGE) });
  if (status) params.set("status", status);
  if (search) params.set("search", search);
  if (instanceId) params.set("instance_id", instanceId);
  const query = useQuery({
    queryKey: ["staff-invoices", page, status, search, instanceId],
    queryFn: () => apiFetch<StaffInvoiceListResponse>(`/api/manage/admin/invoices?${params}`),
    placeholderData: keepPreviousData,
  });
  const instances = useQuery({
    queryKey: ["invoice-recipients"],
    queryFn: () => apiFetch<RecipientsResponse>("/api/manage/admin/invoices/recipients"),
  });

  return (
    <div className="space-y-5">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-bold">Rechnungsstellung</h1>
        {canWrite && (
        <Link
          href="/verwaltung/rechnungen/neu"
          className="inline-flex min-h-10 items-center rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700"
        >
          Neuer Rechnungsentwurf
        </Link>
        )}
      </div>
      <InvoiceListControls
        status={status}
        extraStatuses={[{ value: "draft", label: "Entwurf" }]}
        onStatus={(value) => {
          setStatus(value);
          setPage(1);
        }}
        onSearch={(value) => {
          setSearch(value);
          setPage(1);
        }}
      >
        <div className="space-y-1">
          <label htmlFor={instanceSelectId} className="block text-sm font-medium text-slate-700">
            Instanz
          </label>
          <select
            id={instanceSelectId}
            value={instanceId}
            onChange={(e) => {
              setInstanceId(e.target.value);
              setPage(1);
            }}
            className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-base shadow-sm sm:text-sm"
          >
            <option value="">Alle Instanzen</option>
            {instances.data?.instances.map((i) => (
              <option key={i.id} value={i.id}>
                {i.company_name}
              </option>
            ))}
          </select>
        </div>
      </InvoiceListControls>
      {query.isPending && <LoadingBlock label="Rechnungen werden geladen …" />}
      {query.isError && <Alert kind="error">{query.error.message}</Alert>}
      {query.data && query.data.invoices.length === 0 && <EmptyState title="Keine Rechnungen gefunden">Legen Sie einen Entwurf an oder ändern Sie die Filter.</EmptyState>}
      {query.data && query.data.invoices.length > 0 && (
        <>
          <ul className="divide-y divide-slate-100 rounded-xl border border-slate-200 bg-white" aria-busy={query.isFetching} aria-label="Rechnungsliste">
            {query.data.invoices.map((invoice) => (
              <li key={invoice.id} data-testid="staff-invoice-row">
                <Link
                  href={`/verwaltung/rechnungen/${invoice.id}`}
                  className="flex flex-col gap-2 px-4 py-3 hover:bg-slate-50 sm:flex-row sm:items-center sm:justify-between"
                >
                  <div className="min-w-0">
                    <p className="font-medium text-slate-900">
                      <span className="font-mono">{invoice.invoice_number ?? "Entwurf"}</span> · {invoice.title}
                    </p>
                    <p className="text-xs text-slate-500">
                      {invoice.instance.company_name} · {invoice.invoice_date ? `vom ${formatDate(invoice.invoice_date)}` : "noch nicht ausgestellt"}
                    </p>
                  </div>
                  <div className="flex items-center justify-between gap-3 sm:justify-end">
                    <p className="font-semibold tabular-nums">{invoice.total_gross_formatted}</p>
                    <InvoiceStatusBadge status={invoice.status} label={invoice.status_label} />
                  </div>
                </Link>
              </li>
            ))}
          </ul>
          <Pagination meta={query.data.meta} onPage={setPage} noun="Rechnungen" />
        </>
      )}
    </div>
  );
}
