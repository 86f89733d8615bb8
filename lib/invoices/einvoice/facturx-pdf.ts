/**
 * Factur-X / ZUGFeRD container: the invoice PDF (PDF/A-3b from react-pdf: fonts embedded, sRGB
 * output intent) with the CII XML attached as `factur-x.xml`, in one deterministic pass with pdf-lib.
 *
 * We assemble it ourselves instead of using the library's Factur-X format because that one stamps
 * "now" into the file (creation date, XMP dates) and writes an Info dictionary that differs from its
 * XMP (Title, Producer, Creator, Keywords), which PDF/A forbids (ISO 19005-3, 6.6.2.3.1). Here:
 * - the attachment: `/AFRelationship /Alternative` (EN 16931), `/AF` in the catalog, MIME text/xml;
 * - one metadata record written to both the Info dictionary and the XMP packet, XML-escaped;
 * - the XMP declares PDF/A-3B, the Factur-X extension schema and the fx properties;
 * - every date is the invoice date (12:00 UTC), so the same invoice gives the same bytes.
 */
import { createHash } from "node:crypto";
import { AFRelationship, PDFDocument, PDFHexString, PDFName, PDFRef } from "pdf-lib";
import type { PdfMetadata } from "@/lib/invoices/pdf/metadata";

export const FACTURX_FILENAME = "factur-x.xml";

function escapeXml(text: string) {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");
}

function xmpDate(date: Date) {
  return `${date.toISOString().slice(0, 19)}Z`;
}

const FX_NS = "urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#";

function fxProperty(name: string, description: string) {
  return `<rdf:li rdf:parseType="Resource"><pdfaProperty:name>${name}</pdfaProperty:name><pdfaProperty:valueType>Text</pdfaProperty:valueType><pdfaProperty:category>external</pdfaProperty:category><pdfaProperty:description>${description}</pdfaProperty:description></rdf:li>`;
}

/** The XMP packet: PDF/A identification, the document metadata (same values as Info) and Factur-X. */
export function facturXXmp(meta: PdfMetadata, date: Date, conformanceLevel: string): string {
  const e = escapeXml;
  const d = xmpDate(date);
  return [
    '<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>',
    '<x:xmpmeta xmlns:x="adobe:ns:meta/">',
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
    '<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"><pdfaid:part>3</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance></rdf:Description>',
    `<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:format>application/pdf</dc:format><dc:title><rdf:Alt><rdf:li xml:lang="x-default">${e(meta.title)}</rdf:li></rdf:Alt></dc:title><dc:creator><rdf:Seq><rdf:li>${e(meta.author)}</rdf:li></rdf:Seq></dc:creator><dc:description><rdf:Alt><rdf:li xml:lang="x-default">${e(meta.subject)}</rdf:li></rdf:Alt></dc:description></rdf:Description>`,
    `<rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/"><pdf:Producer>${e(meta.producer)}</pdf:Producer><pdf:Keywords>${e(meta.keywords)}</pdf:Keywords></rdf:Description>`,
    `<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/"><xmp:CreatorTool>${e(meta.creator)}</xmp:CreatorTool><xmp:CreateDate>${d}</xmp:CreateDate><xmp:ModifyDate>${d}</xmp:ModifyDate><xmp:MetadataDate>${d}</xmp:MetadataDate></rdf:Description>`,
    '<rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">',
    `<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource"><pdfaSchema:schema>Factur-X PDFA Extension Schema</pdfaSchema:schema><pdfaSchema:namespaceURI>${FX_NS}</pdfaSchema:namespaceURI><pdfaSchema:prefix>fx</pdfaSchema:prefix><pdfaSchema:property><rdf:Seq>`,
    fxProperty("DocumentFileName", "The name of the embedded XML document"),
    fxProperty("DocumentType", "The type of the hybrid document in capital letters, e.g. INVOICE or ORDER"),
    fxProperty("Version", "The actual version of the standard applying to the embedded XML document"),
    fxProperty("ConformanceLevel", "The conformance level of the embedded XML document"),
    "</rdf:Seq></pdfaSchema:property></rdf:li></rdf:Bag></pdfaExtension:schemas></rdf:Description>",
    `<rdf:Description rdf:about="" xmlns:fx="${FX_NS}"><fx:DocumentType>INVOICE</fx:DocumentType><fx:DocumentFileName>${FACTURX_FILENAME}</fx:DocumentFileName><fx:Version>1.0</fx:Version><fx:ConformanceLevel>${e(conformanceLevel)}</fx:ConformanceLevel></rdf:Description>`,
    "</rdf:RDF>",
    "</x:xmpmeta>",
    '<?xpacket end="w"?>',
  ].join("\n");
}

export type FacturXInput = {
  /** PDF/A-3b rendering of the invoice (all fonts embedded, output intent). */
  pdf: Buffer;
  /** The CII XML (Factur-X EN 16931). */
  xml: Buffer;
  meta: PdfMetadata;
  /** Every date in the file (Info, XMP, attachment). */
  date: Date;
  conformanceLevel?: "EN 16931";
};

export async function assembleFacturX(input: FacturXInput): Promise<Buffer> {
  const { meta, date } = input;
  const doc = await PDFDocument.load(input.pdf, { updateMetadata: false });
  await doc.attach(input.xml, FACTURX_FILENAME, {
    mimeType: "text/xml",
    description: "Factur-X / ZUGFeRD (EN 16931)",
    creationDate: date,
    modificationDate: date,
    afRelationship: AFRelationship.Alternative,
  });

  // pdf-lib writes each as a UTF-16 text string; keywords as one string, exactly as in the XMP.
  doc.setTitle(meta.title);
  doc.setAuthor(meta.author);
  doc.setSubject(meta.subject);
  doc.setKeywords([meta.keywords]);
  doc.setCreator(meta.creator);
  doc.setProducer(meta.producer);
  doc.setCreationDate(date);
  doc.setModificationDate(date);

  // One XMP packet, uncompressed (PDF/A), replacing react-pdf's in place so no stale copy stays behind.
  const xmp = doc.context.stream(Buffer.from(facturXXmp(meta, date, input.conformanceLevel ?? "EN 16931"), "utf8"), { Type: "Metadata", Subtype: "XML" });
  const existing = doc.catalog.get(PDFName.of("Metadata"));
  if (existing instanceof PDFRef) doc.context.assign(existing, xmp);
  else doc.catalog.set(PDFName.of("Metadata"), doc.context.register(xmp));

  // PDF/A needs a file identifier; react-pdf writes one, keep a deterministic one otherwise.
  if (!doc.context.trailerInfo.ID) {
    const id = PDFHexString.of(createHash("md5").update(`${meta.title}|${meta.author}|${date.toISOString()}`).digest("hex"));
    doc.context.trailerInfo.ID = doc.context.obj([id, id]);
  }
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}
