"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { Alert, Card, LoadingBlock } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { useToast } from "@/components/ui/toast";
import { apiFetch, ApiError } from "@/lib/client/api";
import type { RecipientsResponse, StaffInvoiceDetail } from "./types";

type ItemState = { description: string; quantity: string; unit: string; unit_price: string; vat_rate: string };

const emptyItem = (): ItemState => ({ description: "", quantity: "1", unit: "Stück", unit_price: "", vat_rate: "19" });

/** The current month in Europe/Berlin (the portal's one time zone), not the browser's. */
function monthBounds() {
  const [year, month] = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Berlin", year: "numeric", month: "2-digit" })
    .format(new Date())
    .split("-")
    .map(Number);
  const start = new Date(Date.UTC(year, month - 1, 1));
  const end = new Date(Date.UTC(year, month, 0));
  return { start: start.toISOString().slice(0, 10), end: end.toISOString().slice(0, 10) };
}

/** Create (no `invoice`) or edit a draft. */
export function DraftForm({ invoice }: { invoice?: StaffInvoiceDetail }) {
  const router = useRouter();
  const toast = useToast();
  const queryClient = useQueryClient();
  const recipients = useQuery({
    queryKey: ["invoice-recipients"],
    queryFn: () => apiFetch<RecipientsResponse>("/api/manage/admin/invoices/recipients"),
  });
  const bounds = monthBounds();
  const [instanceId, setInstanceId] = useState(invoice ? String(invoice.instance.id) : "");
  const [title, setTitle] = useState(invoice?.title ?? "");
  const [periodStart, setPeriodStart] = useState(invoice?.service_period_start ?? bounds.start);
  const [periodEnd, setPeriodEnd] = useState(invoice?.service_period_end ?? bounds.end);
  const [terms, setTerms] = useState(String(invoice?.payment_terms_days ?? 14));
  const [notes, setNotes] = useState(invoice?.notes ?? "");
  const [reverseCharge, setReverseCharge] = useState(invoice?.reverse_charge ?? false);
  const [company, setCompany] = useState(invoice?.recipient.company_name ?? "");
  const [contact, setContact] = useState(invoice?.recipient.name ?? "");
  const [address, setAddress] = useState(invoice?.recipient.address_lines.join("\n") ?? "");
  const [vatId, setVatId] = useState(invoice?.recipient.vat_id ?? "");
  const [customerNumber, setCustomerNumber] = useState(invoice?.recipient.customer_number ?? "");
  const [items, setItems] = useState<ItemState[]>(
    invoice
      ? invoice.items.map((item) => ({
          description: item.description,
          quantity: item.quantity_formatted.replace(/\./g, ""),
          unit: item.unit,
          unit_price: item.unit_price_formatted.replace(/\s?€$/, "").replace(/\./g, ""),
          vat_rate: String(item.vat_rate),
        }))
      : [emptyItem()],
  );
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const instanceSelectId = useId();
  const addressId = useId();
  const notesId = useId();

  // Prefill the recipient from the instance's last invoice when creating.
  useEffect(() => {
    if (invoice || !instanceId || !recipients.data) return;
    const entry = recipients.data.instances.find((i) => String(i.id) === instanceId);
    if (!entry) return;
    setCompany(entry.recipient.company_name);
    setContact(entry.recipient.name ?? "");
    setAddress(entry.recipient.address_lines.join("\n"));
    setVatId(entry.recipient.vat_id ?? "");
    setCustomerNumber(entry.recipient.customer_number ?? "");
  }, [instanceId, recipients.data, invoice]);

  const save = useMutation({
    mutationFn: () => {
      const body = {
        instance_id: instanceId ? Number(instanceId) : undefined,
        title,
        service_period_start: periodStart,
        service_period_end: periodEnd,
        payment_terms_days: terms === "" ? undefined : Number(terms),
        notes: notes || null,
        reverse_charge: reverseCharge,
        recipient: {
          company_name: company,
          name: contact || null,
          address_lines: address.split("\n").map((l) => l.trim()).filter(Boolean),
          vat_id: vatId.trim().toUpperCase() || null,
          customer_number: customerNumber || null,
        },
        items: items.map((item) => ({ ...item, vat_rate: Number(item.vat_rate) })),
      };
      return invoice
        ? apiFetch<{ invoice: StaffInvoiceDetail }>(`/api/manage/admin/invoices/${invoice.id}`, { method: "PUT", body })
        : apiFetch<{ invoice: StaffInvoiceDetail }>("/api/manage/admin/invoices", { method: "POST", body });
    },
    onSuccess: (data) => {
      setErrors({});
      toast("success", "Entwurf gespeichert.");
      void queryClient.invalidateQueries({ queryKey: ["staff-invoices"] });
      void queryClient.invalidateQueries({ queryKey: ["staff-invoice", String(data.invoice.id)] });
      if (!invoice) router.push(`/verwaltung/rechnungen/${data.invoice.id}`);
    },
    onError: (error) => {
      setErrors(error instanceof ApiError ? error.fieldErrors : {});
    },
  });

  const err = (key: string) => errors[key]?.[0];
  const updateItem = (index: number, patch: Partial<ItemState>) => setItems((list) => list.map((item, i) => (i === index ? { ...item, ...patch } : item)));

  if (recipients.isPending) return <LoadingBlock label="Instanzen werden geladen …" />;

  return (
    <form
      noValidate
      className="space-y-5"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      {save.isError && (
        <Alert kind="error">{Object.keys(errors).length > 0 ? "Bitte die markierten Felder prüfen." : save.error.message}</Alert>
      )}
      {recipients.isError && <Alert kind="error">{recipients.error.message}</Alert>}
      <Card title="Rechnung">
        <div className="grid gap-4 sm:grid-cols-2">
          <div className="space-y-1">
            <label htmlFor={instanceSelectId} className="block text-sm font-medium text-slate-700">
              Instanz (Kunde)
            </label>
            <select
              id={instanceSelectId}
              value={instanceId}
              onChange={(e) => setInstanceId(e.target.value)}
              aria-invalid={err("instance_id") ? true : undefined}
              className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-base shadow-sm sm:text-sm"
            >
              <option value="">Bitte wählen …</option>
              {recipients.data?.instances.map((i) => (
                <option key={i.id} value={i.id}>
                  {i.company_name} ({i.name})
                </option>
              ))}
            </select>
            {err("instance_id") && <p className="text-sm text-red-700">{err("instance_id")}</p>}
          </div>
          <Field label="Titel" value={title} onChange={(e) => setTitle(e.target.value)} error={err("title")} placeholder="z. B. Monatliche Lizenz Dezember 2026" />
          <Field label="Leistungszeitraum von" type="date" value={periodStart} onChange={(e) => setPeriodStart(e.target.value)} error={err("service_period_start")} />
          <Field label="Leistungszeitraum bis" type="date" value={periodEnd} onChange={(e) => setPeriodEnd(e.target.value)} error={err("service_period_end")} />
          <Field label="Zahlungsziel (Tage)" type="number" min={0} max={365} value={terms} onChange={(e) => setTerms(e.target.value)} error={err("payment_terms_days")} />
          <label className="flex items-center gap-2 self-end pb-2 text-sm">
            <input type="checkbox" checked={reverseCharge} onChange={(e) => setReverseCharge(e.target.checked)} />
            Reverse Charge (§13b UStG, 0 % USt.)
          </label>
        </div>
      </Card>

      <Card title="Empfänger">
        <div className="grid gap-4 sm:grid-cols-2">
          <Field label="Firma" value={company} onChange={(e) => setCompany(e.target.value)} error={err("recipient.company_name")} />
          <Field label="Ansprechpartner (optional)" value={contact} onChange={(e) => setContact(e.target.value)} error={err("recipient.name")} />
          <div className="space-y-1">
            <label htmlFor={addressId} className="block text-sm font-medium text-slate-700">
              Anschrift (eine Zeile pro Zeile)
            </label>
            <textarea
              id={addressId}
              rows={3}
              value={address}
              onChange={(e) => setAddress(e.target.value)}
              aria-invalid={err("recipient.address_lines") ? true : undefined}
              className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-base shadow-sm sm:text-sm"
              placeholder={"Musterstraße 1\n12345 Musterstadt"}
            />
            {err("recipient.address_lines") && <p className="text-sm text-red-700">{err("recipient.address_lines")}</p>}
          </div>
          <div className="space-y-4">
            <Field label="USt-IdNr. (optional)" value={vatId} onChange={(e) => setVatId(e.target.value)} error={err("recipient.vat_id")} />
            <Field label="Kundennummer (optional)" value={customerNumber} onChange={(e) => setCustomerNumber(e.target.value)} error={err("recipient.customer_number")} />
          </div>
        </div>
      </Card>

      <Card title="Positionen">
        {err("items") && <p className="mb-3 text-sm text-red-700">{err("items")}</p>}
        <ol className="space-y-4">
          {items.map((item, index) => (
            <li key={index} className="rounded-lg border border-slate-200 p-3" data-testid="draft-item">
              <fieldset className="grid gap-3 sm:grid-cols-12">
                <legend className="sr-only">Position {index + 1}</legend>
                <div className="sm:col-span-12">
                  <Field label={`Beschreibung (Pos. ${index + 1})`} value={item.description} onChange={(e) => updateItem(index, { description: e.target.value })} error={err(`items.${index}.description`)} />
                </div>
                <div className="sm:col-span-3">
                  <Field label="Menge" inputMode="decimal" value={item.quantity} onChange={(e) => updateItem(index, { quantity: e.target.value })} error={err(`items.${index}.quantity`)} />
                </div>
                <div className="sm:col-span-3">
                  <Field label="Einheit" value={item.unit} onChange={(e) => updateItem(index, { unit: e.target.value })} error={err(`items.${index}.unit`)} />
                </div>
                <div className="sm:col-span-3">
                  <Field label="Einzelpreis netto (€)" inputMode="decimal" value={item.unit_price} onChange={(e) => updateItem(index, { unit_price: e.target.value })} error={err(`items.${index}.unit_price`)} placeholder="49,00" />
                </div>
                <div className="space-y-1 sm:col-span-3">
                  <label className="block text-sm font-medium text-slate-700">
                    USt.-Satz
                    <select
                      value={item.vat_rate}
                      onChange={(e) => updateItem(index, { vat_rate: e.target.value })}
                      className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-base font-normal shadow-sm sm:text-sm"
                    >
                      <option value="19">19 %</option>
                      <option value="7">7 %</option>
                      <option value="0">0 %</option>
                    </select>
                  </label>
                  {err(`items.${index}.vat_rate`) && <p className="text-sm text-red-700">{err(`items.${index}.vat_rate`)}</p>}
                </div>
              </fieldset>
              {items.length > 1 && (
                <Button type="button" variant="ghost" className="mt-2" onClick={() => setItems((list) => list.filter((_, i) => i !== index))}>
                  Position {index + 1} entfernen
                </Button>
              )}
            </li>
          ))}
        </ol>
        <Button type="button" variant="secondary" className="mt-3" onClick={() => setItems((list) => [...list, emptyItem()])}>
          Position hinzufügen
        </Button>
      </Card>

      <Card title="Hinweise">
        <label htmlFor={notesId} className="sr-only">
          Hinweise auf der Rechnung
        </label>
        <textarea
          id={notesId}
          rows={3}
          value={notes}
          onChange={(e) => setNotes(e.target.value)}
          className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-base shadow-sm sm:text-sm"
          placeholder="Optionaler Text unter den Zahlungsbedingungen"
        />
        {err("notes") && <p className="text-sm text-red-700">{err("notes")}</p>}
      </Card>

      <div className="flex justify-end">
        <Button type="submit" busy={save.isPending}>
          Entwurf speichern
        </Button>
      </div>
    </form>
  );
}
