/** "RE-2026-0001" → "RE-2026-0001.pdf" (safe for Content-Disposition). */
export function pdfFilename(invoiceNumber: string) {
  return `${invoiceNumber.replace(/[^A-Za-z0-9._-]/g, "_")}.pdf`;
}
