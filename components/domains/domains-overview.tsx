"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { READ_ONLY_REASON, useAccess } from "@/components/portal/me-context";
import { Alert, Badge, Card, LoadingBlock } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { useToast } from "@/components/ui/toast";
import { apiFetch } from "@/lib/client/api";
import { formatDateTime } from "@/lib/client/format";
import { toUnicodeHost } from "@/lib/client/hostname";
import { DomainWizard } from "./domain-wizard";
import { HostName } from "./host-name";
import { KIND_PATHS, KIND_TITLES, type ApplyResponse, type DomainConfiguration, type DomainKind, type DomainKindView } from "./types";
import { QueryError } from "@/components/ui/query-error";
import { DetailRow } from "@/components/ui/detail-row";

const tone = (status: string) =>
  status === "applied" ? "green" : status === "failed" ? "amber" : status === "pending" ? "blue" : "slate";

export function DomainsOverview() {
  const access = useAccess();
  const query = useQuery({ queryKey: ["domains"], queryFn: () => apiFetch<DomainConfiguration>("/api/manage/domains") });

  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-2xl font-bold">Domains</h1>
        <p className="mt-1 text-sm text-slate-600">
          Ihr Portal und die Fernwartung sind immer unter den Standard-Domains erreichbar. Mit einer eigenen Domain erscheinen
          sie unter Ihrem Namen, z. B. portal.ihre-firma.de.
        </p>
      </div>
      {query.isPending ? (
        <div className="grid gap-4 lg:grid-cols-2">
          <LoadingBlock label="Domains werden geladen …" />
          <LoadingBlock label="Domains werden geladen …" />
        </div>
      ) : query.isError ? (
        <QueryError title="Domains konnten nicht geladen werden" error={query.error} onRetry={() => query.refetch()} />
      ) : (
        <>
          {!query.data.can_write && (
            <Alert kind="info">
              {access.readOnly ? READ_ONLY_REASON : "Sie können die Domain-Einstellungen ansehen, aber nicht ändern (fehlende Berechtigung)."}
            </Alert>
          )}
          <div className="grid gap-4 lg:grid-cols-2">
            <DomainCard view={query.data.portal} canWrite={query.data.can_write} />
            <DomainCard view={query.data.meshcentral} canWrite={query.data.can_write} />
          </div>
        </>
      )}
    </div>
  );
}

function DomainCard({ view, canWrite }: { view: DomainKindView; canWrite: boolean }) {
  const access = useAccess();
  // Shown but disabled, with the reason, when the user may not change domains.
  const deniedReason = canWrite ? null : access.readOnly ? READ_ONLY_REASON : "Ihnen fehlt die Berechtigung, Domains zu ändern.";
  const kind = view.kind as DomainKind;
  const queryClient = useQueryClient();
  const toast = useToast();
  const [wizardOpen, setWizardOpen] = useState(false);
  const [confirmOpen, setConfirmOpen] = useState(false);
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: ["domains"] });
    void queryClient.invalidateQueries({ queryKey: ["status"] });
  };

  const remove = useMutation({
    mutationFn: () => apiFetch<{ message: string }>(KIND_PATHS[kind], { method: "DELETE" }),
    onSuccess: (data) => toast("success", data.message),
    onError: (e: Error) => toast("error", e.message),
    onSettled: refresh,
  });
  const apply = useMutation({
    mutationFn: () => apiFetch<ApplyResponse>("/api/manage/domains/apply", { method: "POST" }),
    onSuccess: (data) => toast(data.applied ? "success" : "error", data.message),
    onError: (e: Error) => toast("error", e.message),
    onSettled: refresh,
  });

  return (
    <Card title={KIND_TITLES[kind]}>
      <div data-testid={`domain-card-${kind}`}>
        <dl>
          <DetailRow wrap label="Erreichbar unter">
            <HostName host={view.url.replace(/^https?:\/\//, "")} href={view.url} prefix="https://" testId={`active-url-${kind}`} />
          </DetailRow>
          <DetailRow wrap label="Standard-Domain">
            <HostName host={view.default_domain} />
          </DetailRow>
          <DetailRow wrap label="Eigene Domain">
            {view.custom_domain ? (
              <HostName host={view.custom_domain} testId={`custom-domain-${kind}`} />
            ) : (
              <span data-testid={`custom-domain-${kind}`}>nicht eingerichtet</span>
            )}
          </DetailRow>
          <DetailRow wrap label="Zustand">
            <Badge tone={tone(view.status)}>
              <span data-testid={`domain-status-${kind}`}>{view.status_label}</span>
            </Badge>
          </DetailRow>
          {view.applied_at && <DetailRow wrap label="Angewendet am">{formatDateTime(view.applied_at)}</DetailRow>}
          <DetailRow wrap label="CNAME-Ziel">
            <code className="font-mono">{view.cname_target}</code>
          </DetailRow>
        </dl>

        {view.last_error && (
          <div className="mt-3 space-y-2">
            <Alert kind="warning" title="Nicht auf dem Server angewendet">
              {view.last_error}
            </Alert>
            <Button variant="secondary" busy={apply.isPending} disabledReason={deniedReason} onClick={() => apply.mutate()}>
              Erneut anwenden
            </Button>
          </div>
        )}

        {!wizardOpen && (
          <div className="mt-4 flex flex-col gap-2 sm:flex-row">
            <Button disabledReason={deniedReason} onClick={() => setWizardOpen(true)}>
              {view.custom_domain ? "Domain ändern" : "Eigene Domain einrichten"}
            </Button>
            {view.custom_domain && (
              <Button variant="danger" busy={remove.isPending} disabledReason={deniedReason} onClick={() => setConfirmOpen(true)}>
                Domain entfernen
              </Button>
            )}
          </div>
        )}

        {wizardOpen && (
          <DomainWizard kind={kind} target={view.cname_target} onClose={() => setWizardOpen(false)} />
        )}

        <ConfirmDialog
          open={confirmOpen}
          title={`Eigene Domain für ${KIND_TITLES[kind]} entfernen?`}
          confirmLabel="Domain entfernen"
          onCancel={() => setConfirmOpen(false)}
          onConfirm={() => {
            setConfirmOpen(false);
            remove.mutate();
          }}
        >
          <p>
            <strong>{view.custom_domain ? toUnicodeHost(view.custom_domain) : null}</strong> wird vom Server entfernt. {KIND_TITLES[kind]} ist danach nur noch unter{" "}
            <strong>{toUnicodeHost(view.default_domain)}</strong> erreichbar. Links und Lesezeichen auf die eigene Domain funktionieren dann nicht mehr.
          </p>
        </ConfirmDialog>
      </div>
    </Card>
  );
}
