"use client";

/**
 * Staff: pain.008 files per collection date (`/api/manage/admin/sepa/collections`): preview of the
 * debits due, create (stored, logged, never twice per invoice), download for the bank upload.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Alert, Card, LoadingBlock } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { useToast } from "@/components/ui/toast";
import { apiFetch } from "@/lib/client/api";
import type { listCollectionFiles, previewCollection } from "@/lib/payments/collection";

type Answer = Awaited<ReturnType<typeof listCollectionFiles>> & { preview: Awaited<ReturnType<typeof previewCollection>> | null };

function inDays(days: number) {
  const d = new Date(Date.now() + days * 86_400_000);
  return d.toLocaleDateString("en-CA", { timeZone: "Europe/Berlin" });
}

export function SepaCollectionCard({ canWrite }: { canWrite: boolean }) {
  const client = useQueryClient();
  const toast = useToast();
  const [date, setDate] = useState(() => inDays(5));
  const query = useQuery({
    queryKey: ["admin", "sepa-collections", date],
    queryFn: () => apiFetch<Answer>(`/api/manage/admin/sepa/collections${/^\d{4}-\d{2}-\d{2}$/.test(date) ? `?collection_date=${date}` : ""}`),
  });
  const create = useMutation({
    mutationFn: () => apiFetch<{ message: string }>("/api/manage/admin/sepa/collections", { method: "POST", body: { collection_date: date } }),
    onSuccess: (data) => {
      toast("success", data.message);
      void client.invalidateQueries({ queryKey: ["admin", "sepa-collections"] });
    },
  });
  const preview = query.data?.preview;
  return (
    <Card title="Lastschrift-Einzug (pain.008)">
      <div className="space-y-3 text-sm">
        <div className="max-w-xs">
          <Field label="Einzugsdatum" type="date" name="collection_date" value={date} onChange={(e) => setDate(e.target.value)} />
        </div>
        {query.isPending ? (
          <LoadingBlock />
        ) : query.error ? (
          <Alert kind="error">{query.error.message}</Alert>
        ) : (
          <>
            {preview && (
              <p>
                Fällig bis zu diesem Tag: {preview.count} Lastschrift(en), {preview.total_formatted}
                {preview.debits.length > 0 && ` – ${preview.debits.map((d) => d.invoice_number).join(", ")}`}
              </p>
            )}
            {canWrite && (
              <Button onClick={() => create.mutate()} busy={create.isPending} disabledReason={preview && preview.count === 0 ? "Für diesen Tag ist keine Lastschrift fällig." : null}>
                Lastschriftdatei erstellen
              </Button>
            )}
            {create.error && <Alert kind="error">{create.error.message}</Alert>}
            <h3 className="pt-2 font-semibold">Erstellte Dateien</h3>
            {query.data.files.length === 0 ? (
              <p className="text-slate-600">Noch keine Lastschriftdatei erstellt.</p>
            ) : (
              <ul className="space-y-1">
                {query.data.files.map((f) => (
                  <li key={f.id} className="flex flex-wrap gap-x-3" data-testid="sepa-file">
                    <span>Einzug {new Date(`${f.collection_date}T12:00:00Z`).toLocaleDateString("de-DE")}</span>
                    <span>
                      {f.transaction_count} Lastschrift(en), {f.control_sum_formatted}
                    </span>
                    <a className="font-medium text-brand-700 underline-offset-2 hover:underline break-all" href={`/api/manage/admin/sepa/collections/${f.id}/xml`} download={f.filename}>
                      {f.filename} herunterladen
                    </a>
                  </li>
                ))}
              </ul>
            )}
          </>
        )}
      </div>
    </Card>
  );
}
