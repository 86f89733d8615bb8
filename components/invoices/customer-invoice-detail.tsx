"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { Alert, LoadingBlock } from "@/components/ui/card";
import { apiFetch, ApiError } from "@/lib/client/api";
import { InvoiceDetailView, PdfLinks } from "./invoice-detail-view";
import type { InvoiceDetail } from "./types";

export function CustomerInvoiceDetail({ id }: { id: string }) {
  const query = useQuery({
    queryKey: ["invoice", id],
    queryFn: () => apiFetch<{ invoice: InvoiceDetail }>(`/api/manage/invoices/${encodeURIComponent(id)}`),
    retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
  });
  return (
    <div className="space-y-4">
      <Link href="/rechnungen" className="text-sm text-brand-700 hover:underline">
        ← Alle Rechnungen
      </Link>
      {query.isPending && <LoadingBlock label="Rechnung wird geladen …" />}
      {query.isError && <Alert kind="error">{query.error.message}</Alert>}
      {query.data && (
        <InvoiceDetailView
          invoice={query.data.invoice}
          linkBase="/rechnungen"
          actions={<PdfLinks href={`/api/manage/invoices/${query.data.invoice.id}/pdf`} />}
        />
      )}
    </div>
  );
}
