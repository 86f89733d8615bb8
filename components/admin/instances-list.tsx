"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useState } from "react";
import { EmptyState, LoadingBlock } from "@/components/ui/card";
import { Field, Select } from "@/components/ui/field";
import { apiFetch } from "@/lib/client/api";
import type { AdminInstance, Meta, Tier } from "./types";
import { StatusBadge } from "@/components/ui/status-badge";
import { BILLING_STATUS_OPTIONS, INSTANCE_STATUS_OPTIONS } from "./filters";
import { Pagination } from "@/components/ui/pagination";
import { QueryError } from "@/components/ui/query-error";

export function InstancesList() {
  const [search, setSearch] = useState("");
  const [debounced, setDebounced] = useState("");
  const [status, setStatus] = useState("");
  const [billing, setBilling] = useState("");
  const [tier, setTier] = useState("");
  const [page, setPage] = useState(1);
  useEffect(() => {
    const t = setTimeout(() => setDebounced(search.trim()), 250);
    return () => clearTimeout(t);
  }, [search]);
  useEffect(() => setPage(1), [debounced, status, billing, tier]);

  const tiers = useQuery({ queryKey: ["admin", "tiers"], queryFn: () => apiFetch<{ tiers: Tier[] }>("/api/manage/admin/tiers") });
  const params = new URLSearchParams({ page: String(page), per_page: "25" });
  if (debounced) params.set("search", debounced);
  if (status) params.set("status", status);
  if (billing) params.set("billing_status", billing);
  if (tier) params.set("pricing_tier", tier);
  const query = useQuery({
    queryKey: ["admin", "instances", params.toString()],
    queryFn: () => apiFetch<{ instances: AdminInstance[]; meta: Meta }>(`/api/manage/admin/instances?${params}`),
    placeholderData: keepPreviousData,
  });

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-bold">Instanzen</h1>
        <Link href="/verwaltung/neu" className="rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700">
          Neue Instanz
        </Link>
      </div>
      <div className="grid gap-3 rounded-xl border border-slate-200 bg-white p-4 sm:grid-cols-2 lg:grid-cols-4">
        <Field label="Suche" type="search" placeholder="Name, Firma oder Domain" value={search} onChange={(e) => setSearch(e.target.value)} />
        <Select label="Status" value={status} onChange={setStatus} options={INSTANCE_STATUS_OPTIONS} />
        <Select label="Abrechnung" value={billing} onChange={setBilling} options={BILLING_STATUS_OPTIONS} />
        <Select
          label="Tarif"
          value={tier}
          onChange={setTier}
          options={[{ value: "", label: "Alle Tarife" }, ...(tiers.data?.tiers ?? []).map((t) => ({ value: t.key, label: t.label }))]}
        />
      </div>
      {query.isPending && <LoadingBlock label="Instanzen werden geladen …" />}
      {query.isError && (
        <QueryError title="Instanzen konnten nicht geladen werden" error={query.error} onRetry={() => query.refetch()} />
      )}
      {query.data && query.data.instances.length === 0 && (
        <EmptyState title="Keine Instanzen gefunden">Passen Sie Suche oder Filter an oder legen Sie eine neue Instanz an.</EmptyState>
      )}
      {query.data && query.data.instances.length > 0 && (
        <>
          <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white" aria-busy={query.isFetching}>
            <table className="min-w-full text-sm">
              <thead className="bg-slate-50 text-left text-xs uppercase text-slate-500">
                <tr>
                  <th scope="col" className="px-4 py-2">Instanz</th>
                  <th scope="col" className="px-4 py-2">Status</th>
                  <th scope="col" className="hidden px-4 py-2 md:table-cell">Server</th>
                  <th scope="col" className="hidden px-4 py-2 sm:table-cell">Abrechnung</th>
                  <th scope="col" className="hidden px-4 py-2 lg:table-cell">Tarif</th>
                  <th scope="col" className="px-4 py-2 text-right">Offen</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {query.data.instances.map((i) => (
                  <tr key={i.id} data-testid="instance-row">
                    <td className="px-4 py-3">
                      <Link href={`/verwaltung/instanzen/${i.id}`} className="font-medium text-brand-700 underline-offset-2 hover:underline">
                        {i.company_name}
                      </Link>
                      <p className="text-xs text-slate-500">{i.name}</p>
                    </td>
                    <td className="px-4 py-3">
                      <StatusBadge status={i.status} label={i.status_label} />
                    </td>
                    <td className="hidden px-4 py-3 md:table-cell">
                      <StatusBadge status={i.server.status} label={i.server.status_label} />{" "}
                      {i.server.hetzner_server_id && <StatusBadge status={i.server.health_status} label={i.server.health_status_label} />}
                    </td>
                    <td className="hidden px-4 py-3 sm:table-cell">
                      <StatusBadge status={i.billing.status} label={i.billing.status_label} />
                    </td>
                    <td className="hidden px-4 py-3 lg:table-cell">{i.pricing_tier_label}</td>
                    <td className="px-4 py-3 text-right tabular-nums">
                      {i.billing.open_amount_label}
                      {i.billing.overdue_count > 0 && <p className="text-xs text-red-700">{i.billing.overdue_count} überfällig</p>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pagination meta={query.data.meta} onPage={setPage} noun="Instanzen" />
        </>
      )}
    </div>
  );
}
