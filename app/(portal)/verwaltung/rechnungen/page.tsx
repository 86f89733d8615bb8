import type { Metadata } from "next";
import { StaffOnly } from "@/components/invoices/staff-guard";
import { StaffInvoiceList } from "@/components/invoices/staff-invoice-list";

export const metadata: Metadata = { title: "Rechnungsstellung" };

export default function Page() {
  return <StaffOnly>{(canWrite) => <StaffInvoiceList canWrite={canWrite} />}</StaffOnly>;
}
