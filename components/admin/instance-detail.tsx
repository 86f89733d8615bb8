"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRef, useState } from "react";
import { useFocusFirstInvalid } from "@/lib/client/focus-invalid";
import { plural } from "@/lib/client/plural";
import { locationLabel, serverTypeLabel } from "@/lib/servers/labels";
import { HostName } from "@/components/domains/host-name";
import { Button } from "@/components/ui/button";
import { Alert, Card, DetailRow, EmptyState, LoadingBlock } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Field, Select } from "@/components/ui/field";
import { useToast } from "@/components/ui/toast";
import { ApiError, apiFetch } from "@/lib/client/api";
import { formatDate, formatDateTime } from "@/lib/client/format";
import type { ActivityRow, AdminInstanceDetail, Meta, Tier } from "./types";
import { StatusBadge } from "@/components/ui/status-badge";
import { UsersPanel } from "./users-panel";
import { Pagination } from "@/components/ui/pagination";
import { ServerControl } from "@/components/server/server-control";
import { ServerMetrics } from "@/components/server/server-metrics";
import { ServerUptime } from "@/components/server/server-uptime";
import { ServerBackups } from "@/components/server/server-backups";
import { useAccess } from "@/components/portal/me-context";
import { DunningPauseCard } from "@/components/dunning/dunning-pause";
import { HealthAlertsCard } from "./health-alerts-card";
import { BillingProfileCard } from "@/components/billing/billing-profile-card";
import { StaffMandateCard } from "@/components/sepa/mandate-card";
import { BILLING_STATUS_LABELS, INSTANCE_STATUS_LABELS, labelOptions } from "@/lib/labels";

type DetailResponse = { instance: AdminInstanceDetail };

export function InstanceDetail({ id, currentUserId, canManage: mayManage }: { id: number; currentUserId: string; canManage: boolean }) {
  const access = useAccess();
  // In the read-only customer view nothing may change; the forms are not offered then.
  const canManage = mayManage && !access.readOnly;
  const query = useQuery({ queryKey: ["admin", "instance", id], queryFn: () => apiFetch<DetailResponse>(`/api/manage/admin/instances/${id}`) });
  if (query.isPending) return <LoadingBlock label="Instanz wird geladen …" />;
  if (query.isError) {
    return (
      <Alert kind="error" title="Instanz konnte nicht geladen werden">
        <p>{query.error.message}</p>
        <Link href="/verwaltung" className="underline">
          Zur Instanzliste
        </Link>
      </Alert>
    );
  }
  const i = query.data.instance;
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <Link href="/verwaltung" className="text-sm text-brand-700 underline">
            ← Alle Instanzen
          </Link>
          <h1 className="text-2xl font-bold">{i.company_name}</h1>
          <p className="text-sm text-slate-500">
            Instanz {i.name} · angelegt {formatDateTime(i.created_at)}
          </p>
        </div>
        <div className="flex flex-wrap items-center gap-2">
          <StatusBadge status={i.status} label={i.status_label} testId="admin-instance-status" />
          <ViewAsCustomerButton instance={i} />
        </div>
      </div>
      {i.suspended && (
        <Alert kind="error" title="Instanz gesperrt">
          Grund: {i.suspended_reason ?? "–"} · seit {formatDateTime(i.suspended_at)}
        </Alert>
      )}
      <div className="grid gap-4 lg:grid-cols-2">
        <Card title="Übersicht">
          <dl>
            <DetailRow label="Portal-Domain">
              <HostName host={i.portal_domain} />
            </DetailRow>
            <DetailRow label="MeshCentral-Domain">
              <HostName host={i.meshcentral_domain} />
            </DetailRow>
            {i.custom_domains.map((d) => (
              <DetailRow key={d.kind} label={d.kind === "portal" ? "Eigene Portal-Domain" : "Eigene MeshCentral-Domain"}>
                <HostName host={d.domain} testId={`admin-custom-domain-${d.kind}`} />
                {d.applied ? "" : " (nicht angewendet)"}
              </DetailRow>
            ))}
            <DetailRow label="Tarif">{i.pricing_tier_label}</DetailRow>
            <DetailRow label="Monatspreis (netto)">{i.billing.monthly_price} zzgl. USt.</DetailRow>
            <DetailRow label="Abrechnung">
              <StatusBadge status={i.billing.status} label={i.billing.status_label} />
            </DetailRow>
            <DetailRow label="Bezahlt bis">{formatDate(i.billing.paid_until)}</DetailRow>
            <DetailRow label="Offene Rechnungen">
              {i.billing.open_amount_label} ({plural(i.billing.open_invoice_count ?? 0, "Rechnung", "Rechnungen")}, davon {i.billing.overdue_count} überfällig)
            </DetailRow>
            <DetailRow label="Limits">
              {plural(i.limits.max_customers, "Kunde", "Kunden")} · {plural(i.limits.max_devices, "Gerät", "Geräte")}
            </DetailRow>
          </dl>
        </Card>
        <ServerCard instance={i} canManage={canManage} />
        {canManage && <EditCard instance={i} />}
        {canManage && <SuspensionCard instance={i} />}
        {access.can("invoice.read") && <BillingProfileCard instanceId={i.id} companyName={i.company_name} canWrite={access.can("invoice.write") && !access.readOnly} />}
        {access.can("invoice.read") && <StaffMandateCard instanceId={i.id} canWrite={access.can("invoice.write") && !access.readOnly} />}
        {access.can("invoice.read") && <DunningPauseCard instanceId={i.id} canWrite={access.can("invoice.write") && !access.readOnly} />}
        <HealthAlertsCard instanceId={i.id} canWrite={access.can("tenant.manage") && !access.readOnly} />
      </div>
      {i.server.hetzner_server_id && access.can("host.read") && (
        <section aria-labelledby="server-control-heading" className="space-y-2" data-testid="staff-server-control">
          <h2 id="server-control-heading" className="text-lg font-semibold">
            Serversteuerung
          </h2>
          <ServerControl endpoint={`/api/manage/admin/instances/${i.id}/server`} customerName={i.company_name} />
          <ServerMetrics endpoint={`/api/manage/admin/instances/${i.id}/server/metrics`} />
          <ServerUptime endpoint={`/api/manage/admin/instances/${i.id}/server/uptime`} />
          <ServerBackups
            mode="staff"
            endpoint={`/api/manage/admin/instances/${i.id}/server/backups`}
            restoreEndpoint={access.can("host.power") && !access.readOnly ? `/api/manage/admin/instances/${i.id}/server/restore` : undefined}
            serverName={i.server.name ?? undefined}
          />
        </section>
      )}
      <UsersPanel instanceId={i.id} title="Benutzer der Instanz" currentUserId={currentUserId} />
      <InstanceActivity id={i.id} />
    </div>
  );
}

function ViewAsCustomerButton({ instance }: { instance: AdminInstanceDetail }) {
  const toast = useToast();
  const start = useMutation({
    mutationFn: () => apiFetch("/api/manage/admin/impersonation", { method: "POST", body: { instance_id: instance.id } }),
    onSuccess: () => {
      window.location.href = "/";
    },
    onError: (error) => toast("error", error.message),
  });
  return (
    <Button variant="secondary" busy={start.isPending} onClick={() => start.mutate()}>
      Ansicht als Kunde
    </Button>
  );
}

function ServerCard({ instance, canManage }: { instance: AdminInstanceDetail; canManage: boolean }) {
  const client = useQueryClient();
  const toast = useToast();
  const [serverId, setServerId] = useState("");
  const [confirmUnlink, setConfirmUnlink] = useState(false);
  const onSuccess = (data: { message: string }) => {
    toast("success", data.message);
    setServerId("");
    void client.invalidateQueries({ queryKey: ["admin"] });
  };
  const link = useMutation({
    mutationFn: () =>
      apiFetch<{ message: string }>(`/api/manage/admin/instances/${instance.id}/server`, {
        method: "PUT",
        body: { hetzner_server_id: serverId.trim() === "" ? null : Number(serverId) },
      }),
    onSuccess,
  });
  const unlink = useMutation({
    mutationFn: () => apiFetch<{ message: string }>(`/api/manage/admin/instances/${instance.id}/server`, { method: "DELETE" }),
    onSuccess,
    onError: (e) => toast("error", e.message),
    onSettled: () => setConfirmUnlink(false),
  });
  const s = instance.server;
  const errors = link.error instanceof ApiError ? link.error.fieldErrors : {};
  return (
    <Card title="Server">
      <dl>
        <DetailRow label="Hetzner-Server-ID">
          <span data-testid="hetzner-server-id">{s.hetzner_server_id ?? "Keiner zugeordnet"}</span>
        </DetailRow>
        <DetailRow label="Status">
          <StatusBadge status={s.status} label={s.status_label} />
        </DetailRow>
        <DetailRow label="Zustand">
          <StatusBadge status={s.health_status} label={s.health_status_label} />
        </DetailRow>
        <DetailRow label="IPv4">{s.ipv4 ?? "–"}</DetailRow>
        <DetailRow label="Servertyp">{serverTypeLabel(s.server_type) ?? "–"}</DetailRow>
        <DetailRow label="Standort">{locationLabel(s.datacenter) ?? "–"}</DetailRow>
        <DetailRow label="Zuletzt abgefragt">{formatDateTime(s.last_synced_at)}</DetailRow>
      </dl>
      {canManage && (
        <form
          noValidate
          className="mt-4 space-y-2"
          onSubmit={(e) => {
            e.preventDefault();
            link.mutate();
          }}
        >
          <Field
            label={s.hetzner_server_id ? "Anderen Hetzner-Server verknüpfen (ID)" : "Hetzner-Server verknüpfen (ID)"}
            inputMode="numeric"
            value={serverId}
            onChange={(e) => setServerId(e.target.value)}
            error={errors.hetzner_server_id?.[0] ?? (link.isError && !errors.hetzner_server_id ? link.error.message : undefined)}
          />
          <div className="flex flex-wrap gap-2">
            <Button type="submit" variant="secondary" busy={link.isPending}>
              Verknüpfen
            </Button>
            {s.hetzner_server_id && (
              <Button type="button" variant="danger" busy={unlink.isPending} onClick={() => setConfirmUnlink(true)}>
                Server trennen
              </Button>
            )}
          </div>
        </form>
      )}
      <ConfirmDialog
        open={confirmUnlink}
        title="Hetzner-Server trennen?"
        confirmLabel="Trennen"
        onCancel={() => setConfirmUnlink(false)}
        onConfirm={() => unlink.mutate()}
      >
        <p>
          Server {s.hetzner_server_id} wird von {instance.company_name} getrennt. Der Kunde kann ihn danach nicht mehr steuern; der Server selbst
          bleibt bei Hetzner unverändert.
        </p>
      </ConfirmDialog>
    </Card>
  );
}

function EditCard({ instance }: { instance: AdminInstanceDetail }) {
  const client = useQueryClient();
  const toast = useToast();
  const tiers = useQuery({ queryKey: ["admin", "tiers"], queryFn: () => apiFetch<{ tiers: Tier[] }>("/api/manage/admin/tiers") });
  const [form, setForm] = useState({
    company_name: instance.company_name,
    pricing_tier: instance.pricing_tier,
    billing_status: instance.billing.status,
    status: instance.instance_status,
    max_customers: instance.limits.max_customers_override?.toString() ?? "",
    max_devices: instance.limits.max_devices_override?.toString() ?? "",
  });
  const set = (key: keyof typeof form) => (value: string) => setForm((f) => ({ ...f, [key]: value }));
  const toLimit = (v: string) => (v.trim() === "" ? null : Number(v));
  const save = useMutation({
    mutationFn: () =>
      apiFetch<{ message: string }>(`/api/manage/admin/instances/${instance.id}`, {
        method: "PATCH",
        body: { ...form, max_customers: toLimit(form.max_customers), max_devices: toLimit(form.max_devices) },
      }),
    onSuccess: (data) => {
      toast("success", data.message);
      void client.invalidateQueries({ queryKey: ["admin"] });
    },
  });
  const errors = save.error instanceof ApiError ? save.error.fieldErrors : {};
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstInvalid(formRef, save.error);
  return (
    <Card title="Bearbeiten">
      <form
        ref={formRef}
        noValidate
        className="space-y-3"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        {save.isError && Object.keys(errors).length === 0 && <Alert kind="error">{save.error.message}</Alert>}
        <Field label="Firma" value={form.company_name} onChange={(e) => set("company_name")(e.target.value)} error={errors.company_name?.[0]} />
        <div className="grid gap-3 sm:grid-cols-2">
          <Select
            label="Tarif"
            value={form.pricing_tier}
            onChange={set("pricing_tier")}
            options={(tiers.data?.tiers ?? [{ key: instance.pricing_tier, label: instance.pricing_tier_label } as Tier]).map((t) => ({ value: t.key, label: t.label }))}
            error={errors.pricing_tier?.[0]}
          />
          <Select
            label="Abrechnungsstatus"
            value={form.billing_status}
            onChange={set("billing_status")}
            options={labelOptions(BILLING_STATUS_LABELS)}
            error={errors.billing_status?.[0]}
          />
          <Select
            label="Betriebsstatus"
            value={form.status}
            onChange={set("status")}
            options={labelOptions(INSTANCE_STATUS_LABELS, ["provisioning", "online", "offline", "maintenance"])}
            error={errors.status?.[0]}
          />
          <span />
          <Field
            label="Max. Kunden"
            inputMode="numeric"
            placeholder={`Tarif: ${instance.limits.tier_max_customers}`}
            value={form.max_customers}
            onChange={(e) => set("max_customers")(e.target.value)}
            error={errors.max_customers?.[0]}
            hint="Leer = Wert des Tarifs"
          />
          <Field
            label="Max. Geräte"
            inputMode="numeric"
            placeholder={`Tarif: ${instance.limits.tier_max_devices}`}
            value={form.max_devices}
            onChange={(e) => set("max_devices")(e.target.value)}
            error={errors.max_devices?.[0]}
            hint="Leer = Wert des Tarifs"
          />
        </div>
        <Button type="submit" busy={save.isPending}>
          Änderungen speichern
        </Button>
      </form>
    </Card>
  );
}

function suspensionReasonError(reason: string, suspended: boolean): string | null {
  const text = reason.trim();
  if (text.length > 500) return suspended ? "Die Notiz darf höchstens 500 Zeichen lang sein." : "Der Grund darf höchstens 500 Zeichen lang sein.";
  if (!suspended && text.length < 3) return "Bitte einen Grund für die Sperre angeben (mindestens 3 Zeichen).";
  return null;
}

function SuspensionCard({ instance }: { instance: AdminInstanceDetail }) {
  const client = useQueryClient();
  const toast = useToast();
  const [reason, setReason] = useState("");
  const [confirm, setConfirm] = useState(false);
  const [localError, setLocalError] = useState<{ message: string } | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const action = useMutation({
    mutationFn: () =>
      apiFetch<{ message: string }>(`/api/manage/admin/instances/${instance.id}/${instance.suspended ? "reactivate" : "suspend"}`, {
        method: "POST",
        body: reason.trim() ? { reason } : {},
      }),
    onSuccess: (data) => {
      toast("success", data.message);
      setReason("");
      void client.invalidateQueries({ queryKey: ["admin"] });
    },
    onSettled: () => setConfirm(false),
  });
  const errors = action.error instanceof ApiError ? action.error.fieldErrors : {};
  useFocusFirstInvalid(formRef, localError ?? action.error);
  return (
    <Card title={instance.suspended ? "Sperre aufheben" : "Instanz sperren"}>
      <form
        ref={formRef}
        noValidate
        className="space-y-3"
        onSubmit={(e) => {
          e.preventDefault();
          // Validate first: the confirmation dialog only opens for input the server will accept
          // (the rules of suspendSchema / reactivateSchema; zod itself stays out of the browser bundle).
          const message = suspensionReasonError(reason, instance.suspended);
          if (message) {
            setLocalError({ message });
            return;
          }
          setLocalError(null);
          setConfirm(true);
        }}
      >
        <p className="text-sm text-slate-600">
          {instance.suspended
            ? "Nach der Reaktivierung stehen dem Kunden sofort wieder alle Bereiche zur Verfügung."
            : "Gesperrte Kunden sehen sofort einen Hinweis mit dem Grund und erreichen nur noch Anmeldung und Statusübersicht."}
        </p>
        <Field
          label={instance.suspended ? "Notiz (optional)" : "Grund der Sperre"}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          error={localError?.message ?? errors.reason?.[0]}
        />
        {action.isError && !errors.reason && <Alert kind="error">{action.error.message}</Alert>}
        <Button type="submit" variant={instance.suspended ? "primary" : "danger"} busy={action.isPending}>
          {instance.suspended ? "Reaktivieren" : "Sperren"}
        </Button>
      </form>
      <ConfirmDialog
        open={confirm}
        title={instance.suspended ? `${instance.company_name} reaktivieren?` : `${instance.company_name} sperren?`}
        confirmLabel={instance.suspended ? "Jetzt reaktivieren" : "Jetzt sperren"}
        danger={!instance.suspended}
        onCancel={() => setConfirm(false)}
        onConfirm={() => action.mutate()}
      >
        <p>
          {instance.suspended
            ? "Die Sperre wird sofort für alle Sitzungen des Kunden aufgehoben."
            : `Die Sperre wirkt sofort für alle angemeldeten Benutzer der Instanz.${reason.trim() ? ` Grund: ${reason.trim()}` : ""}`}
        </p>
      </ConfirmDialog>
    </Card>
  );
}

function InstanceActivity({ id }: { id: number }) {
  const [page, setPage] = useState(1);
  const query = useQuery({
    queryKey: ["admin", "instance-activity", id, page],
    queryFn: () => apiFetch<{ logs: ActivityRow[]; meta: Meta }>(`/api/manage/admin/instances/${id}/activity-log?page=${page}&per_page=10`),
    placeholderData: keepPreviousData,
  });
  return (
    <Card title="Aktivität">
      {query.isPending && <LoadingBlock label="Aktivitäten werden geladen …" />}
      {query.isError && <Alert kind="error">{query.error.message}</Alert>}
      {query.data && query.data.logs.length === 0 && <EmptyState title="Noch keine Aktivitäten" />}
      {query.data && query.data.logs.length > 0 && (
        <>
          <ul className="divide-y divide-slate-100" data-testid="admin-activity">
            {query.data.logs.map((l) => (
              <li key={l.id} className="py-2">
                <p className="text-sm text-slate-900">{l.description}</p>
                <p className="text-xs text-slate-500">
                  {formatDateTime(l.created_at)}
                  {l.actor ? ` · ${l.actor}` : ""}
                </p>
              </li>
            ))}
          </ul>
          <div className="mt-3">
            <Pagination meta={query.data.meta} onPage={setPage} label="Seiten der Aktivität" />
          </div>
        </>
      )}
    </Card>
  );
}
