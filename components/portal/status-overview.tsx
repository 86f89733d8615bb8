"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { Badge, Card, LoadingBlock } from "@/components/ui/card";
import { apiFetch } from "@/lib/client/api";
import { formatDate, formatDateTime } from "@/lib/client/format";
import type { StatusResponse } from "@/lib/client/types";
import { QueryError } from "@/components/ui/query-error";
import { PaymentDue } from "@/components/dunning/payment-due";
import { HostName } from "@/components/domains/host-name";
import { useAccess } from "@/components/portal/me-context";
import { locationLabel, serverTypeLabel } from "@/lib/servers/labels";
import { DetailRow } from "@/components/ui/detail-row";
import { UsageBars } from "@/components/portal/usage-bars";

const statusTone = (status: string) =>
  status === "online" || status === "healthy" || status === "active"
    ? "green"
    : status === "suspended" || status === "off" || status === "unhealthy" || status === "past_due"
      ? "red"
      : status === "unknown" || status === "none"
        ? "slate"
        : "amber";

/**
 * The customer's overview. Each value appears once: the address the portal is
 * reached at, and the standard domain only when a custom domain replaces it.
 * A suspended customer gets no links into blocked sections; instead the
 * overview points to what lifts the suspension (payment details, support).
 */
export function StatusOverview({ supportEmail }: { supportEmail: string }) {
  const access = useAccess();
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
  const suspended = s.instance.suspended;
  const openInvoices = s.payment?.open_invoices.length ?? 0;
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
      {suspended && (
        <Card title="So heben Sie die Sperre auf">
          <ul className="space-y-2 text-sm" data-testid="suspended-next-steps">
            {openInvoices > 0 && s.payment && (
              <li>
                <a href="#payment-due-title" className="font-medium text-brand-700 underline">
                  Offene Rechnungen bezahlen ({s.payment.amount_due_formatted})
                </a>
                <span className="block text-slate-600">Rechnungen als PDF, Bankverbindung, Verwendungszweck und GiroCode stehen direkt unten.</span>
              </li>
            )}
            <li>
              <a
                href={`mailto:${supportEmail}?subject=${encodeURIComponent(`Sperre der Instanz ${s.instance.name}`)}`}
                className="font-medium text-brand-700 underline"
              >
                Support kontaktieren ({supportEmail})
              </a>
              <span className="block text-slate-600">Bei Fragen zur Sperre oder zu einer Rechnung.</span>
            </li>
          </ul>
        </Card>
      )}
      {s.payment && <PaymentDue payment={s.payment} />}
      <div className="grid gap-4 md:grid-cols-2">
        <Card
          title="Server"
          action={
            suspended ? (
              <span className="text-sm text-slate-500">Während der Sperre nicht steuerbar</span>
            ) : access.can("host.read") ? (
              <Link href="/server" className="text-sm font-medium text-brand-700 underline">
                Server steuern
              </Link>
            ) : undefined
          }
        >
          <dl>
            <DetailRow label="Status">
              <Badge tone={statusTone(s.server.status)}>
                <span data-testid="server-status">{s.server.status_label}</span>
              </Badge>
            </DetailRow>
            <DetailRow label="Zustand">
              <Badge tone={statusTone(s.server.health_status)}>{s.server.health_status_label}</Badge>
            </DetailRow>
            <DetailRow label="IPv4">{s.server.ipv4 ?? "–"}</DetailRow>
            <DetailRow label="Servertyp">{serverTypeLabel(s.server.server_type) ?? "–"}</DetailRow>
            <DetailRow label="Standort">
              <span title={s.server.datacenter ?? undefined}>{locationLabel(s.server.datacenter) ?? "–"}</span>
            </DetailRow>
            <DetailRow label="Zuletzt abgefragt">{formatDateTime(s.server.last_synced_at)}</DetailRow>
          </dl>
        </Card>
        <Card title="Abrechnung">
          <dl>
            <DetailRow label="Status">
              <Badge tone={statusTone(s.billing.status)}>{s.billing.status_label}</Badge>
            </DetailRow>
            <DetailRow label="Tarif">{s.billing.pricing_tier_label}</DetailRow>
            <DetailRow label="Monatlicher Preis (netto)">{s.billing.monthly_price} zzgl. USt.</DetailRow>
            {s.billing.upcoming_price_change && <DetailRow label="Neuer Preis">{s.billing.upcoming_price_change.label}</DetailRow>}
            {s.billing.trial_ends_at && <DetailRow label="Testphase endet">{formatDate(s.billing.trial_ends_at)}</DetailRow>}
            <DetailRow label="Bezahlt bis">{formatDate(s.billing.paid_until)}</DetailRow>
          </dl>
        </Card>
        <Card
          title="Domains"
          action={
            !suspended && access.can("domain.read") ? (
              <Link href="/domains" className="text-sm font-medium text-brand-700 underline">
                Domains verwalten
              </Link>
            ) : undefined
          }
        >
          <dl data-testid="overview-domains">
            <DomainRow
              label="Portal"
              testId="overview-portal"
              defaultDomain={s.domains.portal_domain}
              customDomain={s.domains.custom_portal_domain}
              link={!suspended}
            />
            <DomainRow
              label="Fernwartung (MeshCentral)"
              testId="overview-meshcentral"
              defaultDomain={s.domains.meshcentral_domain}
              customDomain={s.domains.custom_meshcentral_domain}
              link={!suspended}
            />
          </dl>
        </Card>
        <Card title="Version und Limits">
          <dl>
            <DetailRow label="App-Version">{s.version.app_version}</DetailRow>
            <DetailRow label="Portal-Version">{s.version.portal_version}</DetailRow>
            <DetailRow label="Max. Kunden">{s.limits.max_customers}</DetailRow>
            <DetailRow label="Max. Geräte">{s.limits.max_devices}</DetailRow>
          </dl>
          <div className="mt-3 border-t border-slate-100 pt-3">
            <UsageBars usage={s.usage} limits={s.limits} />
          </div>
        </Card>
      </div>
    </div>
  );
}

/**
 * One service's address: the host it is reached at (the custom domain when
 * there is one), in Unicode with the Punycode form below; the standard
 * domain is named again only when it is not the address shown above.
 */
function DomainRow({
  label,
  testId,
  defaultDomain,
  customDomain,
  link,
}: {
  label: string;
  testId: string;
  defaultDomain: string;
  customDomain: string | null;
  link: boolean;
}) {
  const host = customDomain ?? defaultDomain;
  return (
    <DetailRow label={label}>
      <HostName host={host} href={link ? `https://${host}` : undefined} testId={testId} />
      <span className="block text-xs font-normal text-slate-500" data-testid={`${testId}-note`}>
        {customDomain ? (
          <>
            Eigene Domain · auch unter <HostName host={defaultDomain} />
          </>
        ) : (
          "Standard-Domain · keine eigene Domain eingerichtet"
        )}
      </span>
    </DetailRow>
  );
}
