"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { Alert, Card, LoadingBlock } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Field } from "@/components/ui/field";
import { useToast } from "@/components/ui/toast";
import { apiFetch, ApiError } from "@/lib/client/api";
import { DraftForm } from "./draft-form";
import { InvoiceDetailView, PdfLinks } from "./invoice-detail-view";
import type { StaffInvoiceDetail as Detail } from "./types";

function todayBerlin() {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Berlin", year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());
}

export function StaffInvoiceDetail({ id, canWrite }: { id: string; canWrite: boolean }) {
  const queryClient = useQueryClient();
  const query = useQuery({
    queryKey: ["staff-invoice", id],
    queryFn: () => apiFetch<{ invoice: Detail }>(`/api/manage/admin/invoices/${encodeURIComponent(id)}`),
    retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
  });
  const refresh = (invoice?: Detail) => {
    if (invoice) queryClient.setQueryData(["staff-invoice", id], { invoice });
    void queryClient.invalidateQueries({ queryKey: ["staff-invoice", id] });
    void queryClient.invalidateQueries({ queryKey: ["staff-invoices"] });
  };

  return (
    <div className="space-y-4">
      <Link href="/verwaltung/rechnungen" className="text-sm text-brand-700 hover:underline">
        ← Alle Rechnungen
      </Link>
      {query.isPending && <LoadingBlock label="Rechnung wird geladen …" />}
      {query.isError && <Alert kind="error">{query.error.message}</Alert>}
      {query.data &&
        (query.data.invoice.status === "draft" && canWrite ? (
          <DraftView invoice={query.data.invoice} onChanged={refresh} />
        ) : (
          <IssuedView invoice={query.data.invoice} onChanged={refresh} canWrite={canWrite} />
        ))}
    </div>
  );
}

function DraftView({ invoice, onChanged }: { invoice: Detail; onChanged: (invoice?: Detail) => void }) {
  const toast = useToast();
  const router = useRouter();
  const [confirmIssue, setConfirmIssue] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const issue = useMutation({
    mutationFn: () => apiFetch<{ message: string; invoice: Detail }>(`/api/manage/admin/invoices/${invoice.id}/issue`, { method: "POST", body: {} }),
    onSuccess: (data) => {
      toast("success", data.message);
      onChanged(data.invoice);
    },
    onSettled: () => setConfirmIssue(false),
  });
  const remove = useMutation({
    mutationFn: () => apiFetch<{ message: string }>(`/api/manage/admin/invoices/${invoice.id}`, { method: "DELETE" }),
    onSuccess: (data) => {
      toast("success", data.message);
      onChanged();
      router.push("/verwaltung/rechnungen");
    },
    onSettled: () => setConfirmDelete(false),
  });
  return (
    <div className="space-y-5">
      <div className="flex flex-col gap-3 sm:flex-row sm:items-center sm:justify-between">
        <div>
          <h1 className="text-2xl font-bold">Rechnungsentwurf</h1>
          <p className="text-slate-600">
            {invoice.instance.company_name} · Summe {invoice.totals.gross_formatted} brutto
          </p>
        </div>
        <div className="flex flex-wrap gap-2">
          <Button variant="secondary" onClick={() => setConfirmDelete(true)} busy={remove.isPending}>
            Entwurf löschen
          </Button>
          <Button onClick={() => setConfirmIssue(true)} busy={issue.isPending}>
            Rechnung ausstellen
          </Button>
        </div>
      </div>
      {issue.isError && <Alert kind="error">{issue.error.message}</Alert>}
      {remove.isError && <Alert kind="error">{remove.error.message}</Alert>}
      <Alert kind="info">Entwürfe sind für den Kunden unsichtbar. Beim Ausstellen werden Rechnungsnummer und PDF erzeugt und die Rechnung per E-Mail an den Kunden geschickt; danach ist sie unveränderlich.</Alert>
      <DraftForm key={`${invoice.id}-${invoice.total_gross}-${invoice.title}`} invoice={invoice} />
      <ConfirmDialog
        open={confirmIssue}
        title="Rechnung ausstellen?"
        confirmLabel="Jetzt ausstellen"
        danger={false}
        onConfirm={() => issue.mutate()}
        onCancel={() => setConfirmIssue(false)}
      >
        Die Rechnung über {invoice.totals.gross_formatted} an {invoice.recipient.company_name} erhält eine fortlaufende Nummer, wird als PDF archiviert und per E-Mail versendet. Danach kann sie nur noch storniert werden. Ungespeicherte Änderungen im Formular gehen verloren.
      </ConfirmDialog>
      <ConfirmDialog open={confirmDelete} title="Entwurf löschen?" confirmLabel="Löschen" onConfirm={() => remove.mutate()} onCancel={() => setConfirmDelete(false)}>
        Der Entwurf „{invoice.title}“ wird endgültig gelöscht.
      </ConfirmDialog>
    </div>
  );
}

function IssuedView({ invoice, onChanged, canWrite }: { invoice: Detail; onChanged: (invoice?: Detail) => void; canWrite: boolean }) {
  const open = canWrite && ["sent", "partially_paid", "overdue"].includes(invoice.status);
  const canCancel = canWrite && invoice.kind === "invoice" && invoice.status !== "cancelled" && invoice.status !== "draft";
  return (
    <InvoiceDetailView
      invoice={invoice}
      linkBase="/verwaltung/rechnungen"
      actions={
        <div className="space-y-4">
          <p className="text-sm text-slate-600">Kunde: {invoice.instance.company_name} ({invoice.instance.name})</p>
          {invoice.status !== "draft" && <PdfLinks href={`/api/manage/admin/invoices/${invoice.id}/pdf`} />}
          {open && <PaymentForm key={invoice.totals.remaining} invoice={invoice} onChanged={onChanged} />}
          {canCancel && <CancelSection invoice={invoice} onChanged={onChanged} />}
        </div>
      }
    />
  );
}

function PaymentForm({ invoice, onChanged }: { invoice: Detail; onChanged: (invoice?: Detail) => void }) {
  const toast = useToast();
  const credit = invoice.kind === "credit_note";
  const defaultAmount = invoice.totals.remaining_formatted.replace(/\s?€$/, "").replace(/\./g, "");
  const [amount, setAmount] = useState(defaultAmount);
  const [date, setDate] = useState(todayBerlin());
  const [method, setMethod] = useState("bank_transfer");
  const [reference, setReference] = useState("");
  const methodId = useId();
  const pay = useMutation({
    mutationFn: () =>
      apiFetch<{ message: string; invoice: Detail }>(`/api/manage/admin/invoices/${invoice.id}/payments`, {
        method: "POST",
        body: { amount, payment_date: date, method, reference: reference || null },
      }),
    onSuccess: (data) => {
      toast("success", data.message);
      setReference("");
      onChanged(data.invoice);
    },
  });
  const errors = pay.error instanceof ApiError ? pay.error.fieldErrors : {};
  return (
    <Card title={credit ? "Erstattung erfassen" : "Zahlung erfassen"}>
      <form
        noValidate
        className="grid gap-3 sm:grid-cols-2 lg:grid-cols-5 lg:items-end"
        onSubmit={(e) => {
          e.preventDefault();
          pay.mutate();
        }}
      >
        <Field label="Betrag (€)" inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} error={errors.amount?.[0]} hint={`Offen: ${invoice.totals.remaining_formatted}`} />
        <Field label="Zahlungsdatum" type="date" value={date} onChange={(e) => setDate(e.target.value)} error={errors.payment_date?.[0]} />
        <div className="space-y-1">
          <label htmlFor={methodId} className="block text-sm font-medium text-slate-700">
            Zahlungsart
          </label>
          <select id={methodId} value={method} onChange={(e) => setMethod(e.target.value)} className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-base shadow-sm sm:text-sm">
            <option value="bank_transfer">Überweisung</option>
            <option value="direct_debit">Lastschrift</option>
            <option value="card">Karte</option>
            <option value="cash">Bar</option>
            <option value="other">Sonstige</option>
          </select>
        </div>
        <Field label="Referenz (optional)" value={reference} onChange={(e) => setReference(e.target.value)} error={errors.reference?.[0]} />
        <Button type="submit" busy={pay.isPending}>
          {credit ? "Erstattung buchen" : "Zahlung buchen"}
        </Button>
      </form>
      {pay.isError && Object.keys(errors).length === 0 && (
        <div className="mt-3">
          <Alert kind="error">{pay.error.message}</Alert>
        </div>
      )}
    </Card>
  );
}

function CancelSection({ invoice, onChanged }: { invoice: Detail; onChanged: (invoice?: Detail) => void }) {
  const toast = useToast();
  const [reason, setReason] = useState("");
  const [confirm, setConfirm] = useState(false);
  const cancel = useMutation({
    mutationFn: () => apiFetch<{ message: string; invoice: Detail }>(`/api/manage/admin/invoices/${invoice.id}/cancel`, { method: "POST", body: { reason } }),
    onSuccess: (data) => {
      toast("success", data.message);
      setReason("");
      onChanged(data.invoice);
    },
    onSettled: () => setConfirm(false),
  });
  const errors = cancel.error instanceof ApiError ? cancel.error.fieldErrors : {};
  return (
    <Card title="Stornieren">
      <form
        noValidate
        className="flex flex-col gap-3 sm:flex-row sm:items-end"
        onSubmit={(e) => {
          e.preventDefault();
          setConfirm(true);
        }}
      >
        <div className="flex-1">
          <Field label="Grund der Stornierung" value={reason} onChange={(e) => setReason(e.target.value)} error={errors.reason?.[0]} />
        </div>
        <Button type="submit" variant="danger" busy={cancel.isPending}>
          Mit Stornorechnung stornieren
        </Button>
      </form>
      {cancel.isError && Object.keys(errors).length === 0 && (
        <div className="mt-3">
          <Alert kind="error">{cancel.error.message}</Alert>
        </div>
      )}
      <ConfirmDialog open={confirm} title="Rechnung stornieren?" confirmLabel="Stornieren" onConfirm={() => cancel.mutate()} onCancel={() => setConfirm(false)}>
        Zur Rechnung {invoice.invoice_number} wird eine Stornorechnung über {invoice.totals.gross_formatted.startsWith("-") ? invoice.totals.gross_formatted : `-${invoice.totals.gross_formatted}`} ausgestellt und an den Kunden gesendet. Das lässt sich nicht rückgängig machen.
      </ConfirmDialog>
    </Card>
  );
}
