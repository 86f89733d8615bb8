"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { Badge, Card, LoadingBlock } from "@/components/ui/card";
import { apiFetch } from "@/lib/client/api";
import { formatDate, formatDateTime } from "@/lib/client/format";
import type { StatusResponse } from "@/lib/client/types";
import { QueryError } from "@/components/ui/query-error";
import { PaymentDue } from "@/components/dunning/payment-due";

const statusTone = (status: string) =>
  status === "online" || status === "healthy" || status === "active"
    ? "green"
    : status === "suspended" || status === "off" || status === "unhealthy" || status === "past_due"
      ? "red"
      : status === "unknown" || status === "none"
        ? "slate"
        : "amber";

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="flex justify-between gap-4 border-b border-slate-100 py-2 text-sm last:border-0">
      <dt className="text-slate-500">{label}</dt>
      <dd className="text-right font-medium text-slate-900">{children}</dd>
    </div>
  );
}

export function StatusOverview() {
  const query = useQuery({ queryKey: ["status"], queryFn: () => apiFetch<StatusResponse>("/api/manage/status"), refetchInterval: 30_000 });

  if (query.isPending) {
    return (
      <div className="grid gap-4 md:grid-cols-2">
        <LoadingBlock label="Status wird geladen …" />
        <LoadingBlock label="Server wird geladen …" />
      </div>
    );
  }
  if (query.isError) {
    return (
      <QueryError title="Status konnte nicht geladen werden" error={query.error} onRetry={() => query.refetch()} />
    );
  }
  const s = query.data;
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h1 className="text-2xl font-bold">{s.instance.company_name}</h1>
          <p className="text-sm text-slate-500">Instanz {s.instance.name}</p>
        </div>
        <Badge tone={statusTone(s.instance.status)}>
          <span data-testid="instance-status">{s.instance.status_label}</span>
        </Badge>
      </div>
      {s.payment && <PaymentDue payment={s.payment} />}
      <div className="grid gap-4 md:grid-cols-2">
        <Card
          title="Server"
          action={
            <Link href="/server" className="text-sm font-medium text-brand-700 underline">
              Server steuern
            </Link>
          }
        >
          <dl>
            <Row label="Status">
              <Badge tone={statusTone(s.server.status)}>
                <span data-testid="server-status">{s.server.status_label}</span>
              </Badge>
            </Row>
            <Row label="Zustand">
              <Badge tone={statusTone(s.server.health_status)}>{s.server.health_status_label}</Badge>
            </Row>
            <Row label="IPv4">{s.server.ipv4 ?? "–"}</Row>
            <Row label="Servertyp">{s.server.server_type ?? "–"}</Row>
            <Row label="Rechenzentrum">{s.server.datacenter ?? "–"}</Row>
            <Row label="Zuletzt abgefragt">{formatDateTime(s.server.last_synced_at)}</Row>
          </dl>
        </Card>
        <Card title="Abrechnung">
          <dl>
            <Row label="Status">
              <Badge tone={statusTone(s.billing.status)}>{s.billing.status_label}</Badge>
            </Row>
            <Row label="Tarif">{s.billing.pricing_tier_label}</Row>
            <Row label="Monatlicher Preis">{s.billing.monthly_price}</Row>
            {s.billing.trial_ends_at && <Row label="Testphase endet">{formatDate(s.billing.trial_ends_at)}</Row>}
            <Row label="Bezahlt bis">{formatDate(s.billing.paid_until)}</Row>
          </dl>
        </Card>
        <Card title="Domains">
          <dl>
            <Row label="Portal">
              <a className="text-brand-700 underline" href={s.domains.portal_url} target="_blank" rel="noreferrer">
                {s.domains.portal_url.replace("https://", "")}
              </a>
            </Row>
            <Row label="Standard-Domain">{s.domains.portal_domain}</Row>
            <Row label="Eigene Portal-Domain">{s.domains.custom_portal_domain ?? "nicht eingerichtet"}</Row>
            <Row label="Fernwartung (MeshCentral)">{s.domains.meshcentral_url.replace("https://", "")}</Row>
          </dl>
        </Card>
        <Card title="Version und Limits">
          <dl>
            <Row label="App-Version">{s.version.app_version}</Row>
            <Row label="Portal-Version">{s.version.portal_version}</Row>
            <Row label="Max. Kunden">{s.limits.max_customers}</Row>
            <Row label="Max. Geräte">{s.limits.max_devices}</Row>
          </dl>
        </Card>
      </div>
    </div>
  );
}
