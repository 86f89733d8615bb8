"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, Card, LoadingBlock } from "@/components/ui/card";
import { useToast } from "@/components/ui/toast";
import { apiFetch } from "@/lib/client/api";
import type { getHealthAlerts, setHealthAlerts } from "@/lib/health/opt-in";

type HealthAlerts = Awaited<ReturnType<typeof getHealthAlerts>>;
type Saved = Awaited<ReturnType<typeof setHealthAlerts>> & { message: string };

/** Instance page (staff): whether the customer's admins also get the outage and recovery mails. */
export function HealthAlertsCard({ instanceId, canWrite }: { instanceId: number; canWrite: boolean }) {
  const client = useQueryClient();
  const toast = useToast();
  const path = `/api/manage/admin/instances/${instanceId}/health-alerts`;
  const query = useQuery({ queryKey: ["admin", "health-alerts", instanceId], queryFn: () => apiFetch<HealthAlerts>(path) });
  const save = useMutation({
    mutationFn: (enabled: boolean) => apiFetch<Saved>(path, { method: "PUT", body: { customer_alerts: enabled } }),
    onSuccess: (data) => {
      toast("success", data.message);
      void client.invalidateQueries({ queryKey: ["admin", "health-alerts", instanceId] });
    },
    onError: (error) => toast("error", error.message),
  });
  return (
    <Card title="Störungsmeldungen">
      {query.isPending && <LoadingBlock label="Einstellung wird geladen …" />}
      {query.isError && <Alert kind="error">{query.error.message}</Alert>}
      {query.data && (
        <label className="flex items-start gap-3 text-sm">
          <input
            type="checkbox"
            className="mt-1 h-4 w-4"
            checked={query.data.customer_alerts}
            disabled={!canWrite || save.isPending}
            onChange={(e) => save.mutate(e.target.checked)}
          />
          <span>
            Kunden-Admins bei Störungen benachrichtigen
            <span className="block text-slate-600">
              Eine Mail, wenn Portal oder MeshCentral länger nicht erreichbar sind, und eine, wenn sie wieder laufen. MSP-Mitarbeiter
              werden immer benachrichtigt.
              {!canWrite && " Ändern dürfen nur Mitarbeiter mit der Berechtigung für Instanzen (nicht in der Kundenansicht)."}
            </span>
          </span>
        </label>
      )}
    </Card>
  );
}
