"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Badge, Card } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Field } from "@/components/ui/field";
import { LoadingBlock } from "@/components/ui/loading-block";
import { QueryError } from "@/components/ui/query-error";
import { useToast } from "@/components/ui/toast";
import { useDeniedReason } from "@/components/portal/me-context";
import { ApiError, apiFetch } from "@/lib/client/api";
import { formatDateTime } from "@/lib/client/format";
import type { BackupsView } from "@/lib/servers/backups";

type Image = BackupsView["backups"][number];
const gb = new Intl.NumberFormat("de-DE", { maximumFractionDigits: 2 });
const size = (value: number | null) => (value === null ? "–" : `${gb.format(value)} GB`);

function ImageList({ images, empty, actions }: { images: Image[]; empty: string; actions?: (image: Image) => React.ReactNode }) {
  if (images.length === 0) return <p className="text-sm text-slate-600">{empty}</p>;
  return (
    <ul className="divide-y divide-slate-100 text-sm">
      {images.map((image) => (
        <li key={image.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
          <div className="min-w-0">
            <p className="truncate font-medium text-slate-800">{image.description || `Abbild ${image.id}`}</p>
            <p className="text-xs text-slate-500">
              {formatDateTime(image.created_at)} · {size(image.size_gb)}
              {image.status !== "available" && ` · ${image.status_label}`}
            </p>
          </div>
          {actions && <div className="flex gap-2">{actions(image)}</div>}
        </li>
      ))}
    </ul>
  );
}

/**
 * Backups (on/off, window, price, the last ones) and snapshots of the server.
 * Customers (`mode="customer"`) switch backups, take and delete snapshots;
 * staff (`mode="staff"`) see the same and may restore the server from an
 * image after typing the server's name.
 */
export function ServerBackups({
  endpoint = "/api/manage/server/backups",
  mode = "customer",
  restoreEndpoint,
  serverName,
}: {
  endpoint?: string;
  mode?: "customer" | "staff";
  restoreEndpoint?: string;
  serverName?: string;
}) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const denied = useDeniedReason("host.power", "Backups und Snapshots zu ändern");
  const [description, setDescription] = useState("");
  const [confirm, setConfirm] = useState<null | { kind: "backups-on" | "backups-off" } | { kind: "delete"; image: Image } | { kind: "restore"; image: Image }>(null);
  const [typed, setTyped] = useState("");
  const query = useQuery({ queryKey: ["server-backups", endpoint], queryFn: () => apiFetch<BackupsView>(endpoint), staleTime: 15_000 });

  const mutation = useMutation({
    mutationFn: (op: { path: string; method: "POST" | "PUT" | "DELETE"; body?: unknown }) =>
      apiFetch<{ message: string }>(op.path, { method: op.method, body: op.body }),
    onSuccess: (res) => {
      toast("success", `${res.message}.`);
      setDescription("");
      void queryClient.invalidateQueries({ queryKey: ["server-backups"] });
      void queryClient.invalidateQueries({ queryKey: ["server"] });
    },
    onError: (error) => toast("error", error instanceof ApiError ? error.message : "Die Aktion ist fehlgeschlagen."),
  });

  if (query.error instanceof ApiError && query.error.status === 422) return null;
  const customer = mode === "customer";

  return (
    <Card title="Backups und Snapshots">
      {query.isPending ? (
        <LoadingBlock label="Backups werden geladen …" />
      ) : query.isError ? (
        <QueryError title="Backups konnten nicht geladen werden" error={query.error} onRetry={() => query.refetch()} />
      ) : (
        <div className="space-y-6" data-testid="server-backups">
          <section aria-labelledby="backups-heading" className="space-y-2">
            <div className="flex flex-wrap items-center justify-between gap-2">
              <h3 id="backups-heading" className="text-sm font-semibold text-slate-800">
                Tägliche Backups{" "}
                <Badge tone={query.data.backups_enabled ? "green" : "slate"}>
                  <span data-testid="backups-state">{query.data.backups_enabled ? "An" : "Aus"}</span>
                </Badge>
              </h3>
              {customer && (
                <Button
                  variant={query.data.backups_enabled ? "secondary" : "primary"}
                  disabledReason={denied}
                  onClick={() => setConfirm({ kind: query.data.backups_enabled ? "backups-off" : "backups-on" })}
                >
                  {query.data.backups_enabled ? "Backups ausschalten" : "Backups einschalten"}
                </Button>
              )}
            </div>
            <p className="text-sm text-slate-600">
              {query.data.backups_enabled
                ? `Zeitfenster ${query.data.backup_window_label}. Hetzner behält die letzten 7 Backups.`
                : "Hetzner sichert den ganzen Server einmal täglich und behält die letzten 7 Backups."}{" "}
              {query.data.backup_price_label && <>Kosten: {query.data.backup_price_label}.</>}
            </p>
            {query.data.backups_enabled && (
              <ImageList
                images={query.data.backups}
                empty="Noch kein Backup vorhanden."
                actions={
                  restoreEndpoint
                    ? (image) => (
                        <Button variant="danger" onClick={() => setConfirm({ kind: "restore", image })}>
                          Wiederherstellen
                        </Button>
                      )
                    : undefined
                }
              />
            )}
          </section>

          <section aria-labelledby="snapshots-heading" className="space-y-2">
            <h3 id="snapshots-heading" className="text-sm font-semibold text-slate-800">
              Snapshots ({query.data.snapshots.length} von {query.data.snapshot_limit})
            </h3>
            <ImageList
              images={query.data.snapshots}
              empty="Keine Snapshots vorhanden."
              actions={(image) => (
                <>
                  {customer && (
                    <Button variant="secondary" disabledReason={denied} onClick={() => setConfirm({ kind: "delete", image })}>
                      Löschen
                    </Button>
                  )}
                  {restoreEndpoint && (
                    <Button variant="danger" onClick={() => setConfirm({ kind: "restore", image })}>
                      Wiederherstellen
                    </Button>
                  )}
                </>
              )}
            />
            {customer && (
              <form
                className="flex flex-col gap-2 sm:flex-row sm:items-end"
                onSubmit={(e) => {
                  e.preventDefault();
                  mutation.mutate({ path: "/api/manage/server/snapshots", method: "POST", body: { description } });
                }}
              >
                <div className="flex-1">
                  <Field label="Beschreibung des Snapshots" value={description} maxLength={100} onChange={(e) => setDescription(e.target.value)} placeholder="z. B. Vor dem Update" />
                </div>
                <Button
                  type="submit"
                  busy={mutation.isPending && mutation.variables?.method === "POST"}
                  disabledReason={denied ?? (!query.data.can_create_snapshot ? `Höchstens ${query.data.snapshot_limit} Snapshots; bitte zuerst einen löschen.` : description.trim() === "" ? "Bitte eine Beschreibung angeben." : null)}
                >
                  Snapshot erstellen
                </Button>
              </form>
            )}
            <p className="text-xs text-slate-500">
              Ein Snapshot ist ein Abbild des ganzen Servers zu diesem Zeitpunkt. Höchstens {query.data.snapshot_limit} je Instanz, einer alle 10 Minuten.
            </p>
          </section>
        </div>
      )}

      <ConfirmDialog
        open={confirm !== null}
        danger={confirm?.kind !== "backups-on"}
        title={
          confirm?.kind === "backups-on"
            ? "Backups einschalten?"
            : confirm?.kind === "backups-off"
              ? "Backups ausschalten?"
              : confirm?.kind === "delete"
                ? "Snapshot löschen?"
                : "Server wiederherstellen?"
        }
        confirmLabel={
          confirm?.kind === "backups-on" ? "Kostenpflichtig einschalten" : confirm?.kind === "backups-off" ? "Ausschalten" : confirm?.kind === "delete" ? "Löschen" : "Wiederherstellen"
        }
        confirmDisabled={confirm?.kind === "restore" && typed.trim() !== (serverName ?? "")}
        onCancel={() => {
          setConfirm(null);
          setTyped("");
        }}
        onConfirm={() => {
          const c = confirm;
          setConfirm(null);
          setTyped("");
          if (!c) return;
          if (c.kind === "backups-on" || c.kind === "backups-off") mutation.mutate({ path: endpoint, method: "PUT", body: { enabled: c.kind === "backups-on" } });
          else if (c.kind === "delete") mutation.mutate({ path: `/api/manage/server/snapshots/${c.image.id}`, method: "DELETE" });
          else if (c.kind === "restore" && restoreEndpoint) mutation.mutate({ path: restoreEndpoint, method: "POST", body: { image_id: c.image.id, confirmation: typed.trim() } });
        }}
      >
        {confirm?.kind === "backups-on" && (
          <p>
            Backups kosten bei Hetzner 20 % des Serverpreises: {query.data?.backup_price_label ?? "Preis unbekannt"}. Der Betrag wird ab heute monatlich mit Ihrer
            Rechnung abgerechnet.
          </p>
        )}
        {confirm?.kind === "backups-off" && <p>Hetzner löscht dabei alle vorhandenen Backups. Die monatliche Abrechnung endet heute.</p>}
        {confirm?.kind === "delete" && <p>Der Snapshot „{confirm.image.description}“ wird endgültig gelöscht.</p>}
        {confirm?.kind === "restore" && (
          <div className="space-y-2">
            <p>
              Die Festplatte des Servers wird durch „{confirm.image.description}“ vom {formatDateTime(confirm.image.created_at)} ersetzt. Alles, was seitdem gespeichert wurde, geht
              verloren.
            </p>
            <Field label={`Zur Bestätigung den Servernamen „${serverName ?? ""}“ eintippen`} value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" />
          </div>
        )}
      </ConfirmDialog>
    </Card>
  );
}
