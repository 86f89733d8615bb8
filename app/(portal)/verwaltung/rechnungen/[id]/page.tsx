import type { Metadata } from "next";
import { StaffOnly } from "@/components/invoices/staff-guard";
import { StaffInvoiceDetail } from "@/components/invoices/staff-invoice-detail";

export const metadata: Metadata = { title: "Rechnung (Verwaltung)" };

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <StaffOnly>{(canWrite) => <StaffInvoiceDetail id={id} canWrite={canWrite} />}</StaffOnly>;
}
