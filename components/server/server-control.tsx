"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { Alert, Badge, Card, EmptyState, LoadingBlock } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { useToast } from "@/components/ui/toast";
import { ApiError, apiFetch } from "@/lib/client/api";
import { formatDateTime } from "@/lib/client/format";
import { useCountdown } from "@/lib/client/countdown";
import { useOnline } from "@/lib/client/online";
import { locationLabel, serverTypeLabel } from "@/lib/servers/labels";
import type { ServerView } from "@/lib/servers/service";
import { QueryError } from "@/components/ui/query-error";
import { READ_ONLY_REASON, useAccess } from "@/components/portal/me-context";
import { DetailRow } from "@/components/ui/detail-row";

type ViewResponse = ServerView & { can_control: boolean };
type ActionName = "reboot" | "power-off" | "power-on" | "refresh-status" | "force-power-off";

const statusTone = (status: string) =>
  status === "online" ? "green" : status === "off" ? "red" : status === "unknown" ? "slate" : "amber";
const healthTone = (status: string) =>
  status === "healthy" ? "green" : status === "unhealthy" ? "red" : status === "unknown" ? "slate" : "amber";

const CONFIRMS: Partial<Record<ActionName, { title: string; text: string; confirm: string }>> = {
  reboot: {
    title: "Server neu starten?",
    text: "Der Server erhält ein Neustart-Signal und startet sein Betriebssystem neu. Hetzner bestätigt nur, dass das Signal gesendet wurde; abgeschlossen ist der Neustart, sobald der Server wieder läuft. Ihr Portal und die Fernwartung (MeshCentral) sind dabei für ein bis zwei Minuten nicht erreichbar; laufende Fernwartungs-Sitzungen werden getrennt.",
    confirm: "Jetzt neu starten",
  },
  "power-off": {
    title: "Server herunterfahren?",
    text: "Der Server wird sauber heruntergefahren. Ihr Portal und die Fernwartung (MeshCentral) sind danach nicht mehr erreichbar, bis Sie den Server wieder einschalten.",
    confirm: "Herunterfahren",
  },
  "force-power-off": {
    title: "Ausschalten erzwingen?",
    text: "Der Server wird sofort ausgeschaltet – wie beim Ziehen des Netzsteckers. Nicht gespeicherte Daten können verloren gehen. Nur verwenden, wenn das normale Herunterfahren nicht funktioniert.",
    confirm: "Sofort ausschalten",
  },
};

/**
 * Status and power control of one Hetzner server. Customers use it on /server
 * (`endpoint` = /api/manage/server); MSP staff with `host.power` use the same
 * component on the instance page (`endpoint` = /api/manage/admin/instances/:id/server),
 * so progress, confirmations and limits are identical; the log marks staff actions as MSP.
 */
export function ServerControl({ endpoint = "/api/manage/server", customerName }: { endpoint?: string; customerName?: string } = {}) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const access = useAccess();
  const online = useOnline();
  const [confirming, setConfirming] = useState<ActionName | null>(null);
  // Rate limit: an inline notice with a countdown and locked buttons instead of stacked toasts.
  const [limitedUntil, setLimitedUntil] = useState<number | null>(null);
  const limitedSeconds = useCountdown(limitedUntil);
  const limited = limitedUntil !== null && limitedSeconds > 0;
  const query = useQuery({
    queryKey: ["server", endpoint],
    queryFn: () => apiFetch<ViewResponse>(endpoint),
    refetchInterval: (q) => (q.state.data?.action_running ? 1500 : 30_000),
    staleTime: 0,
  });

  // Announce the end of an action once, when polling sees it finish.
  const lastRunning = useRef<{ id: number; running: boolean } | null>(null);
  const data = query.data;
  useEffect(() => {
    const action = data?.action;
    if (!action) return;
    const prev = lastRunning.current;
    lastRunning.current = { id: action.id, running: data.action_running };
    if (prev && prev.id === action.id && prev.running && !data.action_running) {
      if (action.status === "success") toast("success", `${action.action_label} abgeschlossen.`);
      else toast("error", `${action.action_label} fehlgeschlagen: ${action.message ?? "unbekannter Fehler"}`);
      void queryClient.invalidateQueries({ queryKey: ["status"] });
    }
  }, [data, toast, queryClient]);

  const mutation = useMutation({
    mutationFn: (name: ActionName) =>
      apiFetch<{ message: string; action: string }>(`${endpoint}/${name === "force-power-off" ? "power-off" : name}`, {
        method: "POST",
        body: name === "force-power-off" ? { force: true } : {},
      }),
    onSuccess: (res) => {
      toast("success", `${res.message}.`);
      void queryClient.invalidateQueries({ queryKey: ["server"] });
      void queryClient.invalidateQueries({ queryKey: ["status"] });
    },
    onError: (error) => {
      if (error instanceof ApiError && error.status === 429) {
        setLimitedUntil(Date.now() + (error.retryAfterSeconds ?? 60) * 1000);
        return;
      }
      const message = error instanceof ApiError ? error.message : "Die Aktion ist fehlgeschlagen. Bitte erneut versuchen.";
      toast("error", message);
      void queryClient.invalidateQueries({ queryKey: ["server"] });
    },
  });

  if (!online && !query.data) {
    return (
      <Alert kind="warning" title="Keine Internetverbindung">
        Der Serverstatus kann gerade nicht geladen werden. Sobald die Verbindung wieder besteht, wird die Seite automatisch aktualisiert.
      </Alert>
    );
  }
  if (query.isPending) return <LoadingBlock label="Server wird geladen …" />;
  if (query.isError) {
    return (
      <QueryError title="Server konnte nicht geladen werden" error={query.error} onRetry={() => query.refetch()} />
    );
  }
  const view = query.data;
  if (!view.server) {
    return (
      <EmptyState title="Kein Hetzner-Server zugeordnet">
        Ihrer Instanz ist noch kein Server zugeordnet. Bitte wenden Sie sich an den Support.
      </EmptyState>
    );
  }
  const s = view.server;
  const action = view.action;
  const busy = view.action_running || mutation.isPending;
  const isOff = s.status === "off";
  const isOnline = s.status === "online";
  // Why the controls are locked, most important reason first (null = usable).
  const lockReason = access.readOnly
    ? READ_ONLY_REASON
    : !view.can_control
      ? "Sie haben nur Leserechte; Server-Aktionen sind Administratoren vorbehalten."
      : !online
        ? "Keine Internetverbindung."
        : limited
          ? `Aktionslimit erreicht – wieder möglich in ${limitedSeconds} ${limitedSeconds === 1 ? "Sekunde" : "Sekunden"}.`
          : view.action_running
            ? "Während eine Aktion läuft, sind die Schaltflächen gesperrt."
            : null;
  const reasonFor = (name: ActionName): string | null => {
    if (lockReason) return lockReason;
    if ((name === "reboot" || name === "power-off") && isOff) return "Der Server ist ausgeschaltet.";
    if (name === "power-on" && isOnline) return "Der Server läuft bereits.";
    return null;
  };

  const run = (name: ActionName) => {
    if (CONFIRMS[name]) setConfirming(name);
    else mutation.mutate(name);
  };
  const confirm = confirming ? CONFIRMS[confirming] : undefined;

  return (
    <div className="space-y-4">
      <Card title="Hetzner-Server">
        <dl>
          <DetailRow label="Status">
            <Badge tone={statusTone(s.status)}>
              <span data-testid="server-status">{s.status_label}</span>
            </Badge>
          </DetailRow>
          <DetailRow label="Zustand">
            <Badge tone={healthTone(s.health_status)}>{s.health_status_label}</Badge>
          </DetailRow>
          <DetailRow label="Name">{s.name ?? "–"}</DetailRow>
          <DetailRow label="IPv4">{s.ipv4 ?? "–"}</DetailRow>
          <DetailRow label="Servertyp">
            <span data-testid="server-type">{serverTypeLabel(s.server_type) ?? "–"}</span>
          </DetailRow>
          <DetailRow label="Standort">
            <span data-testid="server-location" title={s.datacenter ?? undefined}>
              {locationLabel(s.datacenter) ?? "–"}
            </span>
          </DetailRow>
          <DetailRow label="Zuletzt abgefragt">{formatDateTime(s.last_synced_at)}</DetailRow>
        </dl>
      </Card>

      {view.sync_error && (
        <Alert kind="warning" title="Hetzner nicht erreichbar">
          {view.sync_error}
        </Alert>
      )}

      {action && view.action_running && (
        <Card title="Laufende Aktion">
          <div className="space-y-2" data-testid="server-progress">
            <p className="text-sm text-slate-700">{action.progress_label}</p>
            <div
              role="progressbar"
              aria-label={`Fortschritt: ${action.action_label}`}
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={action.progress ?? undefined}
              aria-valuetext={action.progress === null ? action.progress_label : `${action.progress} %`}
              className="h-3 w-full overflow-hidden rounded-full bg-slate-200"
            >
              <div
                className={`h-full rounded-full bg-brand-600 transition-all ${action.progress === null ? "w-1/3 animate-pulse" : ""}`}
                style={action.progress === null ? undefined : { width: `${Math.max(3, action.progress)}%` }}
              />
            </div>
            <p className="text-xs text-slate-500">
              Ausgelöst von {action.actor ?? "–"} am {formatDateTime(action.started_at)}
            </p>
          </div>
        </Card>
      )}

      {action && !view.action_running && (
        <p className="text-sm text-slate-600" data-testid="last-action">
          Letzte Aktion: {action.action_label} –{" "}
          {action.status === "success" ? "erfolgreich" : `fehlgeschlagen${action.message ? `: ${action.message}` : ""}`} (
          {formatDateTime(action.finished_at ?? action.started_at)}, {action.actor ?? "–"})
        </p>
      )}

      {!online && (
        <Alert kind="warning" title="Keine Internetverbindung">
          Angezeigt wird der zuletzt geladene Stand. Server-Aktionen sind möglich, sobald die Verbindung wieder besteht.
        </Alert>
      )}

      <Card title="Steuerung">
        {limited && (
          <div role="alert" className="mb-3 rounded-lg border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-900" data-testid="rate-limit-notice">
            Zu viele Anfragen. Bitte in <span aria-live="off">{limitedSeconds}</span> {limitedSeconds === 1 ? "Sekunde" : "Sekunden"} erneut versuchen.
          </div>
        )}
        {lockReason && !limited && (
          <p className="mb-3 text-sm text-slate-600" data-testid="server-lock-reason">
            {lockReason}
          </p>
        )}
        <div className="grid gap-2 sm:grid-cols-2 lg:grid-cols-4">
          <Button variant="secondary" disabledReason={reasonFor("reboot")} busy={mutation.isPending && mutation.variables === "reboot"} onClick={() => run("reboot")}>
            Neustarten
          </Button>
          <Button variant="danger" disabledReason={reasonFor("power-off")} busy={mutation.isPending && mutation.variables === "power-off"} onClick={() => run("power-off")}>
            Herunterfahren
          </Button>
          <Button variant="primary" disabledReason={reasonFor("power-on")} busy={mutation.isPending && mutation.variables === "power-on"} onClick={() => run("power-on")}>
            Einschalten
          </Button>
          <Button
            variant="ghost"
            disabledReason={reasonFor("refresh-status")}
            busy={mutation.isPending && mutation.variables === "refresh-status"}
            onClick={() => run("refresh-status")}
          >
            Status aktualisieren
          </Button>
        </div>
        {view.can_force_power_off && (
          <div className="mt-4 space-y-2">
            <Alert kind="warning" title="Der Server ist noch eingeschaltet">
              Das Betriebssystem hat nicht auf das Herunterfahren reagiert. Sie können das Ausschalten erzwingen.
            </Alert>
            <Button variant="danger" disabledReason={reasonFor("force-power-off")} onClick={() => run("force-power-off")}>
              Ausschalten erzwingen
            </Button>
          </div>
        )}
        <p className="mt-3 text-xs text-slate-500">Höchstens 3 Aktionen pro Minute. Während eine Aktion läuft, sind die Schaltflächen gesperrt.</p>
      </Card>

      <ConfirmDialog
        open={confirm !== undefined}
        title={confirm?.title ?? ""}
        confirmLabel={confirm?.confirm ?? "Bestätigen"}
        onCancel={() => setConfirming(null)}
        onConfirm={() => {
          const name = confirming;
          setConfirming(null);
          if (name) mutation.mutate(name);
        }}
      >
        <p>{confirm?.text}</p>
        {customerName && (
          <p className="mt-2">
            Sie handeln für {customerName}. Die Aktion erscheint im Aktivitätsprotokoll des Kunden als Aktion des MSP.
          </p>
        )}
      </ConfirmDialog>
    </div>
  );
}
