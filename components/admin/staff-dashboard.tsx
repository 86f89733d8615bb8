"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { Card, EmptyState, LoadingBlock } from "@/components/ui/card";
import { apiFetch } from "@/lib/client/api";
import { formatDateTime } from "@/lib/client/format";
import type { StaffDashboard as Dashboard } from "./types";
import { StatusBadge } from "@/components/ui/status-badge";
import { QueryError } from "@/components/ui/query-error";

export function StaffDashboard({ name }: { name: string }) {
  const query = useQuery({ queryKey: ["admin", "dashboard"], queryFn: () => apiFetch<Dashboard>("/api/manage/admin/dashboard"), refetchInterval: 60_000 });
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-2xl font-bold">MSP-Übersicht</h1>
        <p className="text-sm text-slate-500">Angemeldet als {name}</p>
      </div>
      {query.isPending && <LoadingBlock label="Übersicht wird geladen …" />}
      {query.isError && (
        <QueryError title="Übersicht konnte nicht geladen werden" error={query.error} onRetry={() => query.refetch()} />
      )}
      {query.data && <DashboardBody d={query.data} />}
    </div>
  );
}

function DashboardBody({ d }: { d: Dashboard }) {
  return (
    <>
      {d.mails.failed_count > 0 && (
        <div role="alert" className="flex flex-wrap items-center justify-between gap-2 rounded-lg border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800" data-testid="failed-mails-warning">
          <span>
            {d.mails.failed_count === 1 ? "1 Mail konnte nicht zugestellt werden." : `${d.mails.failed_count} Mails konnten nicht zugestellt werden.`} Kunden
            haben sie nicht erhalten.
          </span>
          <Link className="font-medium underline" href="/verwaltung/mails?status=failed">
            Fehlgeschlagene Mails ansehen und erneut senden
          </Link>
        </div>
      )}
      <div className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6">
        <Tile label="Instanzen gesamt" value={String(d.instances.total)} href="/verwaltung" />
        {d.instances.by_status.map((s) => (
          <Tile key={s.status} label={s.status_label} value={String(s.count)} href="/verwaltung" testId={`count-${s.status}`} />
        ))}
      </div>
      <div className="grid gap-4 lg:grid-cols-2">
        <Card title="Server mit Problemen">
          {d.servers_not_healthy.length === 0 ? (
            <EmptyState title="Alle Server gesund" />
          ) : (
            <ul className="divide-y divide-slate-100">
              {d.servers_not_healthy.map((s) => (
                <li key={s.instance_id} className="flex flex-wrap items-center justify-between gap-2 py-2 text-sm">
                  <Link className="text-brand-700 underline" href={`/verwaltung/instanzen/${s.instance_id}`}>
                    {s.company_name}
                  </Link>
                  <span className="flex gap-1">
                    <StatusBadge status={s.status} label={s.status_label} />
                    <StatusBadge status={s.health_status} label={s.health_status_label} />
                  </span>
                </li>
              ))}
            </ul>
          )}
        </Card>
        <Card title="Überfällige Rechnungen">
          <p className="mb-2 text-sm text-slate-600">
            Offen gesamt: <strong>{d.invoices.open_amount_label}</strong> · überfällig: <strong>{d.invoices.overdue_amount_label}</strong>
          </p>
          {d.invoices.overdue.length === 0 ? (
            <EmptyState title="Keine überfälligen Rechnungen" />
          ) : (
            <ul className="divide-y divide-slate-100">
              {d.invoices.overdue.map((o) => (
                <li key={o.instance_id} className="py-2 text-sm" data-testid="overdue-customer">
                  <div className="flex justify-between gap-2">
                    <Link className="text-brand-700 underline" href={`/verwaltung/instanzen/${o.instance_id}`}>
                      {o.company_name}
                    </Link>
                    <span>
                      {o.overdue_count} × · {o.overdue_amount_label}
                    </span>
                  </div>
                  <p className="text-xs text-slate-600">
                    Mahnstufe: {o.dunning_stage_label}
                    {o.next_step_label ? ` · nächster Schritt: ${o.next_step_label}` : ""}
                  </p>
                  <p className="text-xs">
                    {o.invoices.map((i, index) => (
                      <span key={i.invoice_id}>
                        {index > 0 && ", "}
                        <Link className="text-brand-700 underline" href={`/verwaltung/rechnungen/${i.invoice_id}`}>
                          {i.invoice_number}
                        </Link>{" "}
                        ({i.days_overdue} Tage)
                      </span>
                    ))}
                  </p>
                </li>
              ))}
            </ul>
          )}
        </Card>
      </div>
      <Card title="Letzte Aktivitäten (alle Instanzen)">
        {d.recent_activity.length === 0 ? (
          <EmptyState title="Noch keine Aktivitäten" />
        ) : (
          <ul className="divide-y divide-slate-100">
            {d.recent_activity.map((a) => (
              <li key={a.id} className="py-2">
                <p className="text-sm text-slate-900">{a.description}</p>
                <p className="text-xs text-slate-500">
                  {formatDateTime(a.created_at)} · {a.company_name ?? "MSP"}
                  {a.actor ? ` · ${a.actor}` : ""}
                </p>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </>
  );
}

function Tile({ label, value, href, testId }: { label: string; value: string; href: string; testId?: string }) {
  return (
    <Link href={href} className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm hover:bg-slate-50">
      <p className="text-2xl font-bold" data-testid={testId}>
        {value}
      </p>
      <p className="text-xs text-slate-500">{label}</p>
    </Link>
  );
}
