import type { assignBankEntry, importBankStatement, listBankEntries } from "@/lib/payments/import";

export type ImportResult = Awaited<ReturnType<typeof importBankStatement>>;
export type BankEntry = Awaited<ReturnType<typeof listBankEntries>>["entries"][number];
export type AssignResult = Awaited<ReturnType<typeof assignBankEntry>>;
