/** The mandate as PDF; the PDF library loads on the first mandate, not with every route that lists mandates. */
export async function renderMandatePdf(text: string, footer: string, signedOn: string): Promise<Buffer> {
  const { renderMandatePdfNow } = await import("./mandate-pdf");
  return renderMandatePdfNow(text, footer, signedOn);
}
