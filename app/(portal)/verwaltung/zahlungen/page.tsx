import type { Metadata } from "next";
import { StaffOnly } from "@/components/invoices/staff-guard";
import { BankStatementImport } from "@/components/payments/bank-statement-import";

export const metadata: Metadata = { title: "Zahlungseingänge" };

export default function Page() {
  return <StaffOnly>{(canWrite) => <BankStatementImport canWrite={canWrite} />}</StaffOnly>;
}
