"use client";

/**
 * The form of an instance's billing profile, in two scopes:
 * - staff (`/api/manage/admin/instances/{id}/billing-profile`): recipient, structured
 *   address, VAT ID, Leitweg-ID, buyer reference, invoice e-mails, e-invoice format and
 *   VAT treatment;
 * - customer admins (`/api/manage/billing-profile`, on the account page): the invoice
 *   address and the invoice e-mails only; the rest is shown, not editable.
 * The server checks everything (country-specific post code and VAT ID, Leitweg-ID check
 * digits) and answers German messages per field, shown under the field; every change is
 * in the activity log.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Alert, Card, LoadingBlock } from "@/components/ui/card";
import { Field, Select } from "@/components/ui/field";
import { useToast } from "@/components/ui/toast";
import { ApiError, apiFetch } from "@/lib/client/api";
import type { BillingProfileView } from "@/lib/invoices/billing-profile";

type Form = Record<
  | "legal_name"
  | "contact_name"
  | "street"
  | "additional_line"
  | "post_code"
  | "city"
  | "country_code"
  | "vat_id"
  | "leitweg_id"
  | "buyer_reference"
  | "customer_number"
  | "invoice_emails"
  | "einvoice_format"
  | "vat_treatment"
  | "exemption_reason",
  string
>;

function initialForm(view: BillingProfileView, fallbackName: string): Form {
  const p = view.profile;
  return {
    legal_name: p?.legal_name ?? fallbackName,
    contact_name: p?.contact_name ?? "",
    street: p?.street ?? "",
    additional_line: p?.additional_line ?? "",
    post_code: p?.post_code ?? "",
    city: p?.city ?? "",
    country_code: p?.country_code ?? "DE",
    vat_id: p?.vat_id ?? "",
    leitweg_id: p?.leitweg_id ?? "",
    buyer_reference: p?.buyer_reference ?? "",
    customer_number: p?.customer_number ?? "",
    invoice_emails: (p?.invoice_emails ?? []).join(", "),
    einvoice_format: p?.einvoice_format ?? "facturx",
    vat_treatment: p?.vat_treatment ?? "domestic",
    exemption_reason: p?.exemption_reason ?? "",
  };
}

/** The fields a customer admin may change (the API's customerProfileBody). */
const CUSTOMER_FIELDS = ["street", "additional_line", "post_code", "city", "country_code", "invoice_emails"] as const satisfies readonly (keyof Form)[];

type Scope = { kind: "staff"; instanceId: number } | { kind: "customer" };

function scopeEndpoint(scope: Scope) {
  return scope.kind === "staff" ? `/api/manage/admin/instances/${scope.instanceId}/billing-profile` : "/api/manage/billing-profile";
}

function scopeKey(scope: Scope) {
  return scope.kind === "staff" ? ["admin", "instance", scope.instanceId, "billing-profile"] : ["billing-profile"];
}

export function BillingProfileCard({ instanceId, companyName, canWrite }: { instanceId: number; companyName: string; canWrite: boolean }) {
  return (
    <Card title="Rechnungsprofil">
      <ProfileLoader scope={{ kind: "staff", instanceId }} companyName={companyName} canWrite={canWrite} />
    </Card>
  );
}

/** The account page's card for customer admins: invoice address and invoice e-mails. */
export function InvoiceAddressForm({ companyName }: { companyName: string }) {
  return <ProfileLoader scope={{ kind: "customer" }} companyName={companyName} canWrite />;
}

function ProfileLoader({ scope, companyName, canWrite }: { scope: Scope; companyName: string; canWrite: boolean }) {
  const query = useQuery({ queryKey: scopeKey(scope), queryFn: () => apiFetch<BillingProfileView>(scopeEndpoint(scope)) });
  return (
    <>
      {query.isPending && <LoadingBlock label="Rechnungsprofil wird geladen …" />}
      {query.isError && <Alert kind="error">{query.error.message}</Alert>}
      {query.data && <ProfileForm key={query.data.updated_at ?? "new"} scope={scope} view={query.data} companyName={companyName} canWrite={canWrite} />}
    </>
  );
}

function ProfileForm({ scope, view, companyName, canWrite }: { scope: Scope; view: BillingProfileView; companyName: string; canWrite: boolean }) {
  const client = useQueryClient();
  const toast = useToast();
  const [form, setForm] = useState(() => initialForm(view, companyName));
  const staff = scope.kind === "staff";
  const save = useMutation({
    mutationFn: () => {
      const emails = form.invoice_emails
        .split(/[,;\s]+/)
        .map((e) => e.trim())
        .filter(Boolean);
      const fields = staff ? form : Object.fromEntries(CUSTOMER_FIELDS.map((key) => [key, form[key]]));
      return apiFetch<{ message: string }>(scopeEndpoint(scope), { method: "PUT", body: { ...fields, invoice_emails: emails } });
    },
    onSuccess: (data) => {
      toast("success", data.message);
      void client.invalidateQueries({ queryKey: scopeKey(scope) });
    },
  });
  const errors = save.error instanceof ApiError ? save.error.fieldErrors : {};
  const errorOf = (key: keyof Form) => errors[key]?.[0] ?? Object.entries(errors).find(([k]) => k.startsWith(`${key}.`))?.[1]?.[0];
  const field = (key: keyof Form, label: string, extra: { hint?: string; autoComplete?: string; inputMode?: "email" | "text" | "numeric" } = {}) => (
    <Field
      label={label}
      name={key}
      value={form[key]}
      disabled={!canWrite}
      onChange={(e) => setForm((f) => ({ ...f, [key]: e.target.value }))}
      error={errorOf(key)}
      {...extra}
    />
  );
  const select = (key: keyof Form, label: string, options: { value: string; label: string }[]) => (
    <Select label={label} name={key} value={form[key]} onChange={(value) => setForm((f) => ({ ...f, [key]: value }))} options={options} error={errorOf(key)} />
  );
  const publicSector = form.einvoice_format !== "facturx";
  return (
    <form
      className="space-y-4"
      data-testid="billing-profile-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      {!view.complete && <Alert kind="info">Noch keine vollständige Rechnungsanschrift: Rechnungen dieser Instanz können erst mit Anschrift ausgestellt werden.</Alert>}
      <fieldset className="space-y-3" disabled={!canWrite}>
        <legend className="text-sm font-semibold text-slate-700">Rechnungsempfänger</legend>
        {staff ? (
          <>
            {field("legal_name", "Firmenname (Rechnungsempfänger)")}
            {field("contact_name", "Ansprechpartner")}
          </>
        ) : (
          <p className="text-sm text-slate-700">
            <span className="font-medium">{form.legal_name}</span>
            {form.contact_name && <> · {form.contact_name}</>}
            <span className="block text-xs text-slate-500">Firmenname, USt-IdNr. und E-Rechnungsformat ändert Ihr MSP auf Anfrage.</span>
          </p>
        )}
        {field("street", "Straße und Hausnummer", { autoComplete: "street-address" })}
        {field("additional_line", "Adresszusatz")}
        <div className="grid gap-3 sm:grid-cols-[8rem_1fr]">
          {field("post_code", "PLZ", { autoComplete: "postal-code" })}
          {field("city", "Ort")}
        </div>
        {select("country_code", "Land", view.options.countries)}
        {field("invoice_emails", "Rechnungs-E-Mail-Adressen", { hint: "Mehrere durch Komma getrennt.", inputMode: "email" })}
      </fieldset>
      {staff && (
      <fieldset className="space-y-3" disabled={!canWrite}>
        <legend className="text-sm font-semibold text-slate-700">Steuer und E-Rechnung</legend>
        {select("vat_treatment", "Steuerliche Behandlung", view.options.vat_treatments)}
        {field("vat_id", "USt-IdNr.", { hint: form.vat_treatment === "eu_reverse_charge" ? "Pflicht bei Reverse Charge, z. B. ATU12345678." : undefined })}
        {form.vat_treatment === "tax_exempt" && field("exemption_reason", "Befreiungsgrund", { hint: "z. B. „Steuerfrei nach § 4 Nr. 21 UStG“" })}
        {select("einvoice_format", "E-Rechnungsformat", view.options.einvoice_formats)}
        {field("leitweg_id", "Leitweg-ID", { hint: publicSector ? "Öffentliche Auftraggeber, z. B. 991-12345-73 (mit Prüfziffer)." : "Nur für öffentliche Auftraggeber." })}
        {field("buyer_reference", "Käuferreferenz / Bestellnummer")}
        {field("customer_number", "Kundennummer")}
      </fieldset>
      )}
      {save.isError && !(save.error instanceof ApiError && Object.keys(errors).length > 0) && <Alert kind="error">{save.error.message}</Alert>}
      {save.isError && save.error instanceof ApiError && Object.keys(errors).length > 0 && (
        <Alert kind="error">Bitte die markierten Felder korrigieren.</Alert>
      )}
      {canWrite && (
        <Button type="submit" busy={save.isPending}>
          {staff ? "Rechnungsprofil speichern" : "Rechnungsadresse speichern"}
        </Button>
      )}
    </form>
  );
}
