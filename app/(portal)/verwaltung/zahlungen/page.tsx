import type { Metadata } from "next";
import { StaffOnly } from "@/components/invoices/staff-guard";
import { BankStatementImport } from "@/components/payments/bank-statement-import";
import { SepaCollectionCard } from "@/components/sepa/collection-card";

export const metadata: Metadata = { title: "Zahlungseingänge" };

export default function Page() {
  return (
    <StaffOnly>
      {(canWrite) => (
        <div className="space-y-4">
          <BankStatementImport canWrite={canWrite} />
          <SepaCollectionCard canWrite={canWrite} />
        </div>
      )}
    </StaffOnly>
  );
}
