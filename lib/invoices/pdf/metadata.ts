/**
 * Document metadata of an invoice PDF, written once into both the Info dictionary and the XMP
 * packet (PDF/A requires the two to agree): title, author, subject, keywords, creator, producer.
 */
import type { InvoicePdfData, IssuerConfig } from "@/lib/invoices/pdf/types";

export type PdfMetadata = { title: string; author: string; subject: string; keywords: string; creator: string; producer: string };

export function invoicePdfMetadata(data: Pick<InvoicePdfData, "kind" | "invoice_number" | "recipient">, issuer: Pick<IssuerConfig, "name">): PdfMetadata {
  const label = data.kind === "credit_note" ? "Stornorechnung" : "Rechnung";
  return {
    title: `${label} ${data.invoice_number}`,
    author: issuer.name,
    subject: `${label} ${data.invoice_number} an ${data.recipient.company_name}`,
    keywords: `${label}, ${data.invoice_number}, E-Rechnung, Factur-X, ZUGFeRD, EN 16931`,
    creator: "Manage Portal",
    producer: "Manage Portal",
  };
}
