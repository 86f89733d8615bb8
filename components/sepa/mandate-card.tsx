"use client";

/**
 * SEPA direct-debit mandates, in two scopes:
 * - customer (`/api/manage/sepa/mandates`, account page): a customer admin grants a mandate
 *   (account holder, IBAN, BIC outside Germany, CORE or B2B, confirmation of the mandate text)
 *   and revokes it after a second confirmation;
 * - staff (`/api/manage/admin/instances/{id}/sepa-mandates`, instance page): the instance's mandates,
 *   flagged ones (second return) highlighted, with their archived PDFs.
 * The server checks the IBAN (ibantools) and answers German messages per field.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Alert, Badge, Card, LoadingBlock } from "@/components/ui/card";
import { Field, Select } from "@/components/ui/field";
import { useToast } from "@/components/ui/toast";
import { ApiError, apiFetch } from "@/lib/client/api";
import type { listMandates } from "@/lib/payments/mandates";

type MandateList = Awaited<ReturnType<typeof listMandates>>;
type Mandate = MandateList["mandates"][number];
type Scope = { kind: "staff"; instanceId: number } | { kind: "customer" };

const listUrl = (scope: Scope) => (scope.kind === "staff" ? `/api/manage/admin/instances/${scope.instanceId}/sepa-mandates` : "/api/manage/sepa/mandates");
const pdfUrl = (scope: Scope, id: number) => (scope.kind === "staff" ? `/api/manage/admin/sepa/mandates/${id}/pdf` : `/api/manage/sepa/mandates/${id}/pdf`);
const key = (scope: Scope) => (scope.kind === "staff" ? ["admin", "instance", scope.instanceId, "sepa-mandates"] : ["sepa-mandates"]);

const TONES = { active: "green", flagged: "red", revoked: "slate" } as const;

function MandateRow({ scope, mandate, canRevoke }: { scope: Scope; mandate: Mandate; canRevoke: boolean }) {
  const client = useQueryClient();
  const toast = useToast();
  const [confirming, setConfirming] = useState(false);
  const revoke = useMutation({
    mutationFn: () =>
      apiFetch<{ message: string }>(scope.kind === "staff" ? `/api/manage/admin/sepa/mandates/${mandate.id}/revoke` : `/api/manage/sepa/mandates/${mandate.id}/revoke`, {
        method: "POST",
        body: { confirm: true },
      }),
    onSuccess: (data) => {
      toast("success", data.message);
      setConfirming(false);
      void client.invalidateQueries({ queryKey: key(scope) });
    },
  });
  return (
    <li className="space-y-2 rounded-md border border-slate-200 p-3 text-sm" data-testid="sepa-mandate">
      <div className="flex flex-wrap items-center gap-2">
        <span className="font-mono font-medium break-all">{mandate.reference}</span>
        <Badge tone={TONES[mandate.status]}>{mandate.status_label}</Badge>
        <span className="text-slate-600">{mandate.scheme_label}</span>
      </div>
      <dl className="grid gap-x-4 gap-y-1 sm:grid-cols-[11rem_1fr]">
        <dt className="text-slate-500">Kontoinhaber</dt>
        <dd>{mandate.account_holder}</dd>
        <dt className="text-slate-500">IBAN</dt>
        <dd className="font-mono break-all">{mandate.iban}</dd>
        {mandate.bic && (
          <>
            <dt className="text-slate-500">BIC</dt>
            <dd className="font-mono">{mandate.bic}</dd>
          </>
        )}
        <dt className="text-slate-500">Erteilt</dt>
        <dd>
          {new Date(`${mandate.signed_on}T12:00:00Z`).toLocaleDateString("de-DE")} von {mandate.signed_by_name}
        </dd>
        <dt className="text-slate-500">Gläubiger-ID</dt>
        <dd className="font-mono">{mandate.creditor_id}</dd>
        {mandate.return_count > 0 && (
          <>
            <dt className="text-slate-500">Rücklastschriften</dt>
            <dd>{mandate.return_count}</dd>
          </>
        )}
      </dl>
      {mandate.status === "flagged" && <Alert kind="error">{mandate.flag_reason}</Alert>}
      <div className="flex flex-wrap gap-2">
        <a className="text-sm font-medium text-brand-700 underline-offset-2 hover:underline" href={pdfUrl(scope, mandate.id)}>
          Mandat als PDF
        </a>
      </div>
      {canRevoke && mandate.status !== "revoked" && (
        <div className="flex flex-wrap items-center gap-2">
          {confirming ? (
            <>
              <span>Mandat wirklich widerrufen? Angekündigte Lastschriften werden dann nicht eingezogen.</span>
              <Button variant="danger" busy={revoke.isPending} onClick={() => revoke.mutate()}>
                Widerruf bestätigen
              </Button>
              <Button variant="secondary" onClick={() => setConfirming(false)}>
                Abbrechen
              </Button>
            </>
          ) : (
            <Button variant="secondary" onClick={() => setConfirming(true)}>
              Mandat widerrufen
            </Button>
          )}
          {revoke.error && <Alert kind="error">{revoke.error.message}</Alert>}
        </div>
      )}
    </li>
  );
}

function GrantForm({ creditorId }: { creditorId: string | null }) {
  const client = useQueryClient();
  const toast = useToast();
  const [form, setForm] = useState({ account_holder: "", iban: "", bic: "", scheme: "B2B", mandate_type: "recurrent", accept: false });
  const grant = useMutation({
    mutationFn: () => apiFetch<{ message: string }>("/api/manage/sepa/mandates", { method: "POST", body: { ...form, bic: form.bic || null } }),
    onSuccess: (data) => {
      toast("success", data.message);
      void client.invalidateQueries({ queryKey: key({ kind: "customer" }) });
    },
  });
  const errors = grant.error instanceof ApiError ? grant.error.fieldErrors : {};
  const set = (name: keyof typeof form) => (e: React.ChangeEvent<HTMLInputElement>) => setForm((f) => ({ ...f, [name]: e.target.value }));
  return (
    <form
      className="space-y-3"
      onSubmit={(e) => {
        e.preventDefault();
        grant.mutate();
      }}
      noValidate
    >
      <p className="text-sm text-slate-600">
        Mit einem SEPA-Lastschriftmandat ziehen wir Rechnungsbeträge von Ihrem Konto ein; jede Rechnung kündigt Betrag und Einzugstag vorab an.
      </p>
      <Field label="Kontoinhaber" name="account_holder" value={form.account_holder} onChange={set("account_holder")} error={errors.account_holder?.[0]} autoComplete="organization" />
      <Field label="IBAN" name="iban" value={form.iban} onChange={set("iban")} error={errors.iban?.[0]} hint="z. B. DE89 3704 0044 0532 0130 00" />
      <Field label="BIC (nur für Konten außerhalb Deutschlands)" name="bic" value={form.bic} onChange={set("bic")} error={errors.bic?.[0]} />
      <Select
        label="Verfahren"
        name="scheme"
        value={form.scheme}
        onChange={(scheme) => setForm((f) => ({ ...f, scheme }))}
        options={[
          { value: "B2B", label: "SEPA-Firmenlastschrift (B2B) – für Firmenkonten" },
          { value: "CORE", label: "SEPA-Basislastschrift (CORE)" },
        ]}
        error={errors.scheme?.[0]}
      />
      <label className="flex items-start gap-2 text-sm">
        <input type="checkbox" name="accept" checked={form.accept} onChange={(e) => setForm((f) => ({ ...f, accept: e.target.checked }))} className="mt-1" />
        <span>
          {form.scheme === "B2B"
            ? "Wir ermächtigen den Zahlungsempfänger, Zahlungen von unserem Konto mittels Lastschrift einzuziehen, und weisen unser Kreditinstitut an, diese Lastschriften einzulösen. Eine Erstattung nach Einlösung ist bei Firmenlastschriften ausgeschlossen."
            : "Ich ermächtige / Wir ermächtigen den Zahlungsempfänger, Zahlungen mittels Lastschrift einzuziehen, und weisen das Kreditinstitut an, diese Lastschriften einzulösen. Innerhalb von acht Wochen ab Belastung kann die Erstattung verlangt werden."}{" "}
          {creditorId ? `Gläubiger-ID: ${creditorId}.` : ""} Den vollständigen Mandatstext erhalten Sie als PDF.
        </span>
      </label>
      {errors.accept?.[0] && <p className="text-sm text-red-700">{errors.accept[0]}</p>}
      {grant.error && !Object.keys(errors).length && <Alert kind="error">{grant.error.message}</Alert>}
      <Button type="submit" busy={grant.isPending}>
        Mandat erteilen
      </Button>
    </form>
  );
}

function MandateList({ scope, canWrite }: { scope: Scope; canWrite: boolean }) {
  const query = useQuery({ queryKey: key(scope), queryFn: () => apiFetch<MandateList>(listUrl(scope)) });
  if (query.isPending) return <LoadingBlock />;
  if (query.error) return <Alert kind="error">{query.error.message}</Alert>;
  const { mandates, creditor_id, prenotification_days } = query.data;
  const active = mandates.find((m) => m.status === "active");
  return (
    <div className="space-y-3">
      {mandates.length === 0 && <p className="text-sm text-slate-600">{scope.kind === "staff" ? "Kein Lastschriftmandat: Rechnungen werden überwiesen." : "Sie zahlen bisher per Überweisung."}</p>}
      {active && <p className="text-sm text-slate-600">Rechnungen kündigen den Einzug an; eingezogen wird {prenotification_days} Tage nach dem Rechnungsdatum.</p>}
      <ul className="space-y-2">
        {mandates.map((m) => (
          <MandateRow key={m.id} scope={scope} mandate={m} canRevoke={canWrite} />
        ))}
      </ul>
      {scope.kind === "customer" && canWrite && !active && <GrantForm creditorId={creditor_id} />}
    </div>
  );
}

/** Account page (customer admins). */
export function CustomerMandateSection() {
  return <MandateList scope={{ kind: "customer" }} canWrite />;
}

/** Instance page (staff). */
export function StaffMandateCard({ instanceId, canWrite }: { instanceId: number; canWrite: boolean }) {
  return (
    <Card title="SEPA-Lastschriftmandate">
      <MandateList scope={{ kind: "staff", instanceId }} canWrite={canWrite} />
    </Card>
  );
}
