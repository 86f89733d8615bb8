"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
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
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { useToast } from "@/components/ui/toast";
import { useAccess } from "@/components/portal/me-context";
import { plural } from "@/lib/client/plural";
import type { BulkAction, BulkResult } from "@/lib/admin/bulk";

const BULK_TEXT: Record<BulkAction, { label: string; confirm: string; body: string; danger: boolean }> = {
  reboot: { label: "Neu starten", confirm: "Jetzt neu starten", body: "Die Server werden neu gestartet; Portal und Fernwartung der Kunden sind ein bis zwei Minuten nicht erreichbar.", danger: true },
  "power-off": { label: "Herunterfahren", confirm: "Herunterfahren", body: "Die Server werden sauber heruntergefahren; Portal und Fernwartung der Kunden bleiben bis zum Einschalten nicht erreichbar.", danger: true },
  "power-on": { label: "Einschalten", confirm: "Einschalten", body: "Die Server werden eingeschaltet.", danger: false },
  "refresh-status": { label: "Status abfragen", confirm: "Status abfragen", body: "Der Status der Server wird bei Hetzner abgefragt.", danger: false },
  suspend: { label: "Sperren", confirm: "Jetzt sperren", body: "Die Sperre wirkt sofort für alle angemeldeten Benutzer der Instanzen.", danger: true },
  reactivate: { label: "Reaktivieren", confirm: "Jetzt reaktivieren", body: "Die Sperre wird sofort aufgehoben.", danger: false },
};
const POWER_ACTIONS: BulkAction[] = ["reboot", "power-off", "power-on", "refresh-status"];
const TENANT_ACTIONS: BulkAction[] = ["suspend", "reactivate"];

export function InstancesList() {
  const [search, setSearch] = useState("");
  const [debounced, setDebounced] = useState("");
  const [status, setStatus] = useState("");
  const [billing, setBilling] = useState("");
  const [tier, setTier] = useState("");
  const [sort, setSort] = useState("");
  const [page, setPage] = useState(1);
  useEffect(() => {
    const t = setTimeout(() => setDebounced(search.trim()), 250);
    return () => clearTimeout(t);
  }, [search]);
  useEffect(() => setPage(1), [debounced, status, billing, tier, sort]);

  const access = useAccess();
  const canCreate = access.can("tenant.manage") && !access.readOnly;
  const bulkActions = access.readOnly
    ? []
    : [...(access.can("host.power") ? POWER_ACTIONS : []), ...(access.can("tenant.manage") ? TENANT_ACTIONS : [])];
  const [selected, setSelected] = useState<Set<number>>(new Set());

  const tiers = useQuery({ queryKey: ["admin", "tiers"], queryFn: () => apiFetch<{ tiers: Tier[] }>("/api/manage/admin/tiers") });
  const params = new URLSearchParams({ page: String(page), per_page: "25" });
  if (debounced) params.set("search", debounced);
  if (status) params.set("status", status);
  if (billing) params.set("billing_status", billing);
  if (tier) params.set("pricing_tier", tier);
  if (sort) params.set("sort", sort);
  const query = useQuery({
    queryKey: ["admin", "instances", params.toString()],
    queryFn: () => apiFetch<{ instances: AdminInstance[]; meta: Meta }>(`/api/manage/admin/instances?${params}`),
    placeholderData: keepPreviousData,
  });

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-bold">Instanzen</h1>
        {canCreate && (
          <Link href="/verwaltung/neu" className="rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700">
            Neue Instanz
          </Link>
        )}
      </div>
      <div className="grid gap-3 rounded-xl border border-slate-200 bg-white p-4 sm:grid-cols-2 lg:grid-cols-5">
        <Field label="Suche" type="search" placeholder="Name, Firma oder Domain" value={search} onChange={(e) => setSearch(e.target.value)} />
        <Select label="Status" value={status} onChange={setStatus} options={INSTANCE_STATUS_OPTIONS} />
        <Select label="Abrechnung" value={billing} onChange={setBilling} options={BILLING_STATUS_OPTIONS} />
        <Select
          label="Tarif"
          value={tier}
          onChange={setTier}
          options={[{ value: "", label: "Alle Tarife" }, ...(tiers.data?.tiers ?? []).map((t) => ({ value: t.key, label: t.label }))]}
        />
        <Select
          label="Sortierung"
          value={sort}
          onChange={setSort}
          options={[
            { value: "", label: "Nach Name" },
            { value: "usage", label: "Nach Auslastung" },
          ]}
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
          {bulkActions.length > 0 && (
            <BulkBar
              actions={bulkActions}
              selected={selected}
              instances={query.data.instances}
              onDone={() => setSelected(new Set())}
            />
          )}
          <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white" aria-busy={query.isFetching}>
            <table className="min-w-full text-sm">
              <thead className="bg-slate-50 text-left text-xs uppercase text-slate-500">
                <tr>
                  {bulkActions.length > 0 && (
                    <th scope="col" className="w-10 px-4 py-2">
                      <input
                        type="checkbox"
                        aria-label="Alle Instanzen dieser Seite auswählen"
                        className="h-4 w-4"
                        checked={query.data.instances.every((i) => selected.has(i.id))}
                        onChange={(e) =>
                          setSelected((prev) => {
                            const next = new Set(prev);
                            for (const i of query.data.instances) {
                              if (e.target.checked) next.add(i.id);
                              else next.delete(i.id);
                            }
                            return next;
                          })
                        }
                      />
                    </th>
                  )}
                  <th scope="col" className="px-4 py-2">Instanz</th>
                  <th scope="col" className="px-4 py-2">Status</th>
                  <th scope="col" className="hidden px-4 py-2 md:table-cell">Server</th>
                  <th scope="col" className="hidden px-4 py-2 sm:table-cell">Abrechnung</th>
                  <th scope="col" className="hidden px-4 py-2 lg:table-cell">Tarif</th>
                  <th scope="col" className="hidden px-4 py-2 md:table-cell">Auslastung</th>
                  <th scope="col" className="px-4 py-2 text-right">Offen</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {query.data.instances.map((i) => (
                  <tr key={i.id} data-testid="instance-row">
                    {bulkActions.length > 0 && (
                      <td className="px-4 py-3">
                        <input
                          type="checkbox"
                          aria-label={`${i.company_name} auswählen`}
                          className="h-4 w-4"
                          checked={selected.has(i.id)}
                          onChange={(e) =>
                            setSelected((prev) => {
                              const next = new Set(prev);
                              if (e.target.checked) next.add(i.id);
                              else next.delete(i.id);
                              return next;
                            })
                          }
                        />
                      </td>
                    )}
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
                    <td className="hidden px-4 py-3 md:table-cell" data-testid="instance-usage">
                      {i.usage.percent === null ? (
                        <span className="text-slate-500">–</span>
                      ) : (
                        <StatusBadge
                          status={i.usage.level === "exceeded" ? "unhealthy" : i.usage.level === "warning" ? "degraded" : "healthy"}
                          label={`${i.usage.percent.toLocaleString("de-DE", { maximumFractionDigits: 1 })} % · ${i.usage.level_label}`}
                        />
                      )}
                    </td>
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

/** The bar above the list: choose an action for the selected instances, confirm once, see the outcome per instance. */
function BulkBar({
  actions,
  selected,
  instances,
  onDone,
}: {
  actions: BulkAction[];
  selected: Set<number>;
  instances: AdminInstance[];
  onDone: () => void;
}) {
  const client = useQueryClient();
  const toast = useToast();
  const [pending, setPending] = useState<BulkAction | null>(null);
  const [reason, setReason] = useState("");
  const [results, setResults] = useState<BulkResult[] | null>(null);
  const ids = [...selected];
  const names = new Map(instances.map((i) => [i.id, i.company_name]));
  const run = useMutation({
    mutationFn: (action: BulkAction) =>
      apiFetch<{ message: string; failed: number; results: BulkResult[] }>("/api/manage/admin/instances/bulk", {
        method: "POST",
        body: { action, instance_ids: ids, ...(action === "suspend" || (action === "reactivate" && reason.trim()) ? { reason } : {}) },
      }),
    onSuccess: (data) => {
      toast(data.failed ? "error" : "success", data.message);
      setResults(data.results);
      setReason("");
      onDone();
      void client.invalidateQueries({ queryKey: ["admin"] });
    },
    onError: (error) => toast("error", error.message),
    onSettled: () => setPending(null),
  });
  const text = pending ? BULK_TEXT[pending] : null;
  const reasonMissing = pending === "suspend" && reason.trim().length < 3;
  return (
    <div className="space-y-2 rounded-xl border border-slate-200 bg-white p-3" data-testid="bulk-bar">
      <div className="flex flex-wrap items-center gap-2">
        <p className="mr-2 text-sm text-slate-700" aria-live="polite">
          {ids.length === 0 ? "Keine Instanz ausgewählt" : `${plural(ids.length, "Instanz", "Instanzen")} ausgewählt`}
        </p>
        {actions.map((action) => (
          <Button
            key={action}
            variant={BULK_TEXT[action].danger ? "danger" : "secondary"}
            className="min-h-8 px-3 py-1 text-xs"
            disabledReason={ids.length === 0 ? "Bitte zuerst Instanzen auswählen." : null}
            busy={run.isPending && run.variables === action}
            onClick={() => {
              setResults(null);
              setPending(action);
            }}
          >
            {BULK_TEXT[action].label}
          </Button>
        ))}
      </div>
      {results && results.some((r) => !r.ok) && (
        <ul className="text-sm text-red-800" data-testid="bulk-failures">
          {results
            .filter((r) => !r.ok)
            .map((r) => (
              <li key={r.instance_id}>
                {names.get(r.instance_id) ?? `Instanz ${r.instance_id}`}: {r.message}
              </li>
            ))}
        </ul>
      )}
      <ConfirmDialog
        open={pending !== null}
        title={text ? `${text.label}: ${plural(ids.length, "Instanz", "Instanzen")}?` : ""}
        confirmLabel={text?.confirm ?? ""}
        danger={text?.danger ?? true}
        confirmDisabled={reasonMissing}
        onCancel={() => setPending(null)}
        onConfirm={() => pending && !reasonMissing && run.mutate(pending)}
      >
        <p>{text?.body}</p>
        <p className="mt-2 text-sm text-slate-600">{ids.map((id) => names.get(id) ?? `Instanz ${id}`).join(", ")}</p>
        {(pending === "suspend" || pending === "reactivate") && (
          <div className="mt-3">
            <Field
              label={pending === "suspend" ? "Grund der Sperre" : "Notiz (optional)"}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              hint={pending === "suspend" ? "Mindestens 3 Zeichen; die Kunden sehen den Grund." : undefined}
            />
          </div>
        )}
      </ConfirmDialog>
    </div>
  );
}
