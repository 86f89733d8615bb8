import type { Metadata } from "next";
import { CustomerInvoiceDetail } from "@/components/invoices/customer-invoice-detail";

export const metadata: Metadata = { title: "Rechnung" };

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <CustomerInvoiceDetail id={id} />;
}
