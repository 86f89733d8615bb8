import type { importBankStatement, listBankEntries } from "@/lib/payments/import";
import type { assignBankEntry, suggestInvoices, unassignBankEntry } from "@/lib/payments/assign";

export type ImportResult = Awaited<ReturnType<typeof importBankStatement>>;
export type BankEntry = Awaited<ReturnType<typeof listBankEntries>>["entries"][number];
export type AssignResult = Awaited<ReturnType<typeof assignBankEntry>>;
export type UnassignResult = Awaited<ReturnType<typeof unassignBankEntry>>;
export type Suggestions = Awaited<ReturnType<typeof suggestInvoices>>;
export type Suggestion = Suggestions["suggestions"][number];
