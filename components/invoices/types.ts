import type { getInvoiceForStaff, InvoiceDetail, listInvoices, listInvoicesForStaff, listRecipients } from "@/lib/invoices/queries";

export type InvoiceListResponse = Awaited<ReturnType<typeof listInvoices>>;
export type InvoiceListItem = InvoiceListResponse["invoices"][number];
export type StaffInvoiceListResponse = Awaited<ReturnType<typeof listInvoicesForStaff>>;
export type { InvoiceDetail };
export type StaffInvoiceDetail = Awaited<ReturnType<typeof getInvoiceForStaff>>;
export type RecipientsResponse = Awaited<ReturnType<typeof listRecipients>>;
