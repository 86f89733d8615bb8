import { formatDateDe } from "@/lib/time";
import { Document, Image, Page, Path, StyleSheet, Svg, Text, View } from "@react-pdf/renderer";
import type { ReactElement } from "react";

import { formatQuantity, formatVatRate } from "@/lib/invoices/calc";
import { REVERSE_CHARGE_NOTE, type InvoicePdfData, type IssuerConfig } from "@/lib/invoices/pdf/types";
import { formatEuro } from "@/lib/money";
import { INVOICE_FONT } from "@/lib/invoices/pdf/fonts";
import { invoicePdfMetadata } from "@/lib/invoices/pdf/metadata";
import { giroCodePath, invoiceGiroCode } from "@/lib/invoices/girocode";
import { debitNoticeText } from "@/lib/sepa/notice";

/** react-pdf's default hyphenation is English; German invoices break words instead. */
const noHyphens = (word: string): string[] => [word];

const COLOR_TEXT = "#1f2933";
const COLOR_MUTED = "#616e7c";
const COLOR_ACCENT = "#1f3a5f";
const COLOR_RULE = "#cbd2d9";
const COLOR_HEAD_BG = "#eef1f5";

const PAGE_HEIGHT = 841.89; // A4 in pt
const MARGIN_LEFT = 62; // ~22 mm
const MARGIN_RIGHT = 48; // ~17 mm

const styles = StyleSheet.create({
  page: {
    fontFamily: INVOICE_FONT,
    fontSize: 8.5,
    lineHeight: 1.35,
    color: COLOR_TEXT,
    paddingTop: 108,
    paddingBottom: 112,
    paddingLeft: MARGIN_LEFT,
    paddingRight: MARGIN_RIGHT,
  },
  // ---- repeated page header
  header: {
    position: "absolute",
    top: 34,
    left: MARGIN_LEFT,
    right: MARGIN_RIGHT,
    flexDirection: "row",
    justifyContent: "space-between",
    alignItems: "flex-end",
    paddingBottom: 8,
    borderBottomWidth: 0.75,
    borderBottomColor: COLOR_ACCENT,
  },
  headerBrand: { width: "60%" },
  logo: { height: 34, maxWidth: 170, objectFit: "contain", objectPositionX: 0, marginBottom: 4 },
  brandName: { fontFamily: INVOICE_FONT, fontWeight: 700, fontSize: 15, lineHeight: 1.2, color: COLOR_ACCENT },
  headerRight: { alignItems: "flex-end" },
  headerDocLine: { fontFamily: INVOICE_FONT, fontWeight: 700, fontSize: 9, color: COLOR_ACCENT },
  headerSmall: { fontSize: 7.5, color: COLOR_MUTED },
  // ---- repeated page footer
  footer: {
    position: "absolute",
    bottom: 30,
    left: MARGIN_LEFT,
    right: MARGIN_RIGHT,
    borderTopWidth: 0.5,
    borderTopColor: COLOR_RULE,
    paddingTop: 6,
  },
  footerColumns: { flexDirection: "row", justifyContent: "space-between" },
  footerColumn: { width: "24%" },
  footerText: { fontSize: 6.8, color: COLOR_MUTED, lineHeight: 1.35 },
  footerLabel: { fontSize: 6.8, color: COLOR_TEXT, fontFamily: INVOICE_FONT, fontWeight: 700, lineHeight: 1.35 },
  pageNumber: {
    position: "absolute",
    top: PAGE_HEIGHT - 26,
    left: MARGIN_LEFT,
    right: MARGIN_RIGHT,
    fontSize: 7.5,
    color: COLOR_MUTED,
    textAlign: "right",
  },
  // ---- address / info block
  addressRow: { flexDirection: "row", justifyContent: "space-between", marginTop: 10 },
  addressBlock: { width: "52%" },
  senderLine: {
    fontSize: 6.8,
    color: COLOR_MUTED,
    textDecoration: "underline",
    marginBottom: 8,
  },
  recipientCompany: { fontFamily: INVOICE_FONT, fontWeight: 700, fontSize: 10, lineHeight: 1.35 },
  recipientLine: { fontSize: 10, lineHeight: 1.35 },
  infoBlock: { width: "43%", marginTop: 4 },
  infoRow: { flexDirection: "row", justifyContent: "space-between", marginBottom: 1.5 },
  infoLabel: { color: COLOR_MUTED, width: "44%" },
  infoValue: { width: "56%", textAlign: "right" },
  infoValueBold: { width: "56%", textAlign: "right", fontFamily: INVOICE_FONT, fontWeight: 700 },
  // ---- title
  titleBlock: { marginTop: 34, marginBottom: 12 },
  title: { fontFamily: INVOICE_FONT, fontWeight: 700, fontSize: 16, lineHeight: 1.25, color: COLOR_ACCENT },
  subtitle: { fontSize: 10, lineHeight: 1.3, marginTop: 2 },
  intro: { marginTop: 8 },
  // ---- items table
  table: { marginTop: 4 },
  tableHead: {
    flexDirection: "row",
    backgroundColor: COLOR_HEAD_BG,
    borderBottomWidth: 0.75,
    borderBottomColor: COLOR_ACCENT,
    paddingVertical: 4,
    fontFamily: INVOICE_FONT,
    fontWeight: 700,
    fontSize: 8,
  },
  tableRow: {
    flexDirection: "row",
    borderBottomWidth: 0.5,
    borderBottomColor: COLOR_RULE,
    paddingVertical: 4,
  },
  colPos: { width: "6%", paddingLeft: 4 },
  colDesc: { width: "38%", paddingRight: 6 },
  colQty: { width: "9%", textAlign: "right", paddingRight: 4 },
  colUnit: { width: "10%", paddingLeft: 4 },
  colPrice: { width: "13%", textAlign: "right" },
  colVat: { width: "9%", textAlign: "right" },
  colNet: { width: "15%", textAlign: "right", paddingRight: 4 },
  // ---- totals
  totals: { marginTop: 10, marginLeft: "45%" },
  totalsRow: { flexDirection: "row", justifyContent: "space-between", paddingVertical: 1.5, paddingRight: 4 },
  totalsLabel: { color: COLOR_TEXT },
  totalsLabelMuted: { color: COLOR_MUTED },
  totalsGrand: {
    flexDirection: "row",
    justifyContent: "space-between",
    marginTop: 4,
    paddingTop: 4,
    paddingBottom: 3,
    paddingRight: 4,
    borderTopWidth: 0.75,
    borderTopColor: COLOR_ACCENT,
    borderBottomWidth: 2,
    borderBottomColor: COLOR_ACCENT,
    fontFamily: INVOICE_FONT,
    fontWeight: 700,
    fontSize: 10.5,
  },
  // ---- texts below totals
  section: { marginTop: 16 },
  noteBox: {
    marginTop: 14,
    padding: 7,
    borderLeftWidth: 2,
    borderLeftColor: COLOR_ACCENT,
    backgroundColor: COLOR_HEAD_BG,
  },
  bold: { fontFamily: INVOICE_FONT, fontWeight: 700 },
  paragraph: { marginBottom: 4 },
  closing: { marginTop: 14 },
});

function docTypeLabel(data: InvoicePdfData): string {
  return data.kind === "credit_note" ? "Stornorechnung" : "Rechnung";
}

function servicePeriodText(data: InvoicePdfData): string {
  if (data.service_period_start === data.service_period_end) return formatDateDe(data.service_period_start);
  return `${formatDateDe(data.service_period_start)} – ${formatDateDe(data.service_period_end)}`;
}

function InfoRow({ label, value, bold = false }: { label: string; value: string; bold?: boolean }): ReactElement {
  return (
    <View style={styles.infoRow}>
      <Text hyphenationCallback={noHyphens} style={styles.infoLabel}>{label}</Text>
      <Text hyphenationCallback={noHyphens} style={bold ? styles.infoValueBold : styles.infoValue}>{value}</Text>
    </View>
  );
}

function TotalsRow({ label, value, muted = false }: { label: string; value: string; muted?: boolean }): ReactElement {
  return (
    <View style={styles.totalsRow}>
      <Text hyphenationCallback={noHyphens} style={muted ? styles.totalsLabelMuted : styles.totalsLabel}>{label}</Text>
      <Text hyphenationCallback={noHyphens}>{value}</Text>
    </View>
  );
}

export interface InvoiceDocumentProps {
  data: InvoicePdfData;
  issuer: IssuerConfig;
  /** Resolved due date (YYYY-MM-DD). */
  dueDate: string;
  /** Logo bytes, already loaded (deterministic, no path resolution inside react-pdf). */
  logo?: { data: Buffer; format: "png" | "jpg" } | null;
  /** Metadata dates; derived from the invoice so re-rendering gives identical bytes. */
  creationDate: Date;
}

export function InvoiceDocument({ data, issuer, dueDate, logo, creationDate }: InvoiceDocumentProps): ReactElement {
  const docLabel = docTypeLabel(data);
  const meta = invoicePdfMetadata(data, issuer);
  const isCredit = data.kind === "credit_note";
  const senderLine = [issuer.name, ...issuer.address_lines].join(" · ");
  const singleRate = data.breakdown.length === 1;
  const grand = data.totals.gross_cents;
  const debit = isCredit ? null : (data.direct_debit ?? null);
  const giroPayload = isCredit || debit ? null : invoiceGiroCode(issuer.bank, data.invoice_number, grand);
  const giroCode = giroPayload ? giroCodePath(giroPayload) : null;
  const paymentDays = Math.round(
    (Date.parse(`${dueDate}T00:00:00Z`) - Date.parse(`${data.invoice_date}T00:00:00Z`)) / 86_400_000,
  );

  return (
    <Document
      title={meta.title}
      author={meta.author}
      subject={meta.subject}
      keywords={meta.keywords}
      creator={meta.creator}
      producer={meta.producer}
      language="de-DE"
      creationDate={creationDate}
      modificationDate={creationDate}
      conformance="PDF/A-3b"
    >
      <Page size="A4" style={styles.page} wrap>
        {/* Repeated header */}
        <View style={styles.header} fixed>
          <View style={styles.headerBrand}>
            {logo ? <Image style={styles.logo} src={logo} /> : null}
            <Text hyphenationCallback={noHyphens} style={logo ? styles.headerDocLine : styles.brandName}>{issuer.name}</Text>
          </View>
          <View style={styles.headerRight}>
            <Text hyphenationCallback={noHyphens} style={styles.headerDocLine}>
              {docLabel} {data.invoice_number}
            </Text>
            <Text hyphenationCallback={noHyphens} style={styles.headerSmall}>vom {formatDateDe(data.invoice_date)}</Text>
          </View>
        </View>

        {/* Page number: a separate fixed element; a render-prop Text inside the fixed
            header makes react-pdf drop the header's other children. */}
        <Text hyphenationCallback={noHyphens}
          style={styles.pageNumber}
          fixed
          render={({ pageNumber, totalPages }) => `Seite ${pageNumber} von ${totalPages}`}
        />

        {/* Repeated footer */}
        <View style={styles.footer} fixed>
          <View style={styles.footerColumns}>
            <View style={styles.footerColumn}>
              <Text hyphenationCallback={noHyphens} style={styles.footerLabel}>{issuer.name}</Text>
              {issuer.address_lines.map((line, i) => (
                <Text hyphenationCallback={noHyphens} key={i} style={styles.footerText}>
                  {line}
                </Text>
              ))}
              {issuer.managing_directors ? (
                <Text hyphenationCallback={noHyphens} style={styles.footerText}>Geschäftsführung: {issuer.managing_directors}</Text>
              ) : null}
            </View>
            <View style={styles.footerColumn}>
              <Text hyphenationCallback={noHyphens} style={styles.footerLabel}>Kontakt</Text>
              {issuer.phone ? <Text hyphenationCallback={noHyphens} style={styles.footerText}>Tel.: {issuer.phone}</Text> : null}
              <Text hyphenationCallback={noHyphens} style={styles.footerText}>E-Mail: {issuer.email}</Text>
              {issuer.website ? <Text hyphenationCallback={noHyphens} style={styles.footerText}>{issuer.website}</Text> : null}
            </View>
            <View style={styles.footerColumn}>
              <Text hyphenationCallback={noHyphens} style={styles.footerLabel}>Steuer & Register</Text>
              {issuer.tax_number ? <Text hyphenationCallback={noHyphens} style={styles.footerText}>Steuernummer: {issuer.tax_number}</Text> : null}
              {issuer.vat_id ? <Text hyphenationCallback={noHyphens} style={styles.footerText}>USt-IdNr.: {issuer.vat_id}</Text> : null}
              {issuer.commercial_register ? <Text hyphenationCallback={noHyphens} style={styles.footerText}>{issuer.commercial_register}</Text> : null}
            </View>
            <View style={styles.footerColumn}>
              <Text hyphenationCallback={noHyphens} style={styles.footerLabel}>Bankverbindung</Text>
              <Text hyphenationCallback={noHyphens} style={styles.footerText}>{issuer.bank.bank_name}</Text>
              <Text hyphenationCallback={noHyphens} style={styles.footerText}>IBAN: {issuer.bank.iban}</Text>
              <Text hyphenationCallback={noHyphens} style={styles.footerText}>BIC: {issuer.bank.bic}</Text>
            </View>
          </View>
        </View>

        {/* Address and invoice data */}
        <View style={styles.addressRow}>
          <View style={styles.addressBlock}>
            <Text hyphenationCallback={noHyphens} style={styles.senderLine}>{senderLine}</Text>
            <Text hyphenationCallback={noHyphens} style={styles.recipientCompany}>{data.recipient.company_name}</Text>
            {data.recipient.name ? <Text hyphenationCallback={noHyphens} style={styles.recipientLine}>z. Hd. {data.recipient.name}</Text> : null}
            {data.recipient.address_lines.map((line, i) => (
              <Text hyphenationCallback={noHyphens} key={i} style={styles.recipientLine}>
                {line}
              </Text>
            ))}
          </View>
          <View style={styles.infoBlock}>
            <InfoRow label="Rechnungsnummer" value={data.invoice_number} bold />
            <InfoRow label="Rechnungsdatum" value={formatDateDe(data.invoice_date)} />
            <InfoRow
              label={data.service_period_start === data.service_period_end ? "Leistungsdatum" : "Leistungszeitraum"}
              value={servicePeriodText(data)}
            />
            {data.recipient.customer_number ? (
              <InfoRow label="Kundennummer" value={data.recipient.customer_number} />
            ) : null}
            {isCredit && data.cancels_invoice_number ? (
              <InfoRow label="Zu Rechnung" value={data.cancels_invoice_number} />
            ) : null}
            {!isCredit ? <InfoRow label="Fällig am" value={formatDateDe(dueDate)} /> : null}
            {data.recipient.vat_id ? <InfoRow label="Ihre USt-IdNr." value={data.recipient.vat_id} /> : null}
          </View>
        </View>

        {/* Title */}
        <View style={styles.titleBlock}>
          <Text hyphenationCallback={noHyphens} style={styles.title}>
            {docLabel} {data.invoice_number}
          </Text>
          {data.title ? <Text hyphenationCallback={noHyphens} style={styles.subtitle}>{data.title}</Text> : null}
          {isCredit ? (
            <Text hyphenationCallback={noHyphens} style={styles.intro}>
              Hiermit stornieren wir die Rechnung Nr. {data.cancels_invoice_number}
              {data.cancels_invoice_date ? ` vom ${formatDateDe(data.cancels_invoice_date)}` : ""}. Die folgenden
              Beträge werden Ihnen gutgeschrieben.
            </Text>
          ) : (
            <Text hyphenationCallback={noHyphens} style={styles.intro}>
              Für die im Leistungszeitraum {servicePeriodText(data)} erbrachten Leistungen berechnen wir Ihnen:
            </Text>
          )}
        </View>

        {/* Items */}
        <View style={styles.table}>
          <View style={styles.tableHead} fixed>
            <Text hyphenationCallback={noHyphens} style={styles.colPos}>Pos.</Text>
            <Text hyphenationCallback={noHyphens} style={styles.colDesc}>Beschreibung</Text>
            <Text hyphenationCallback={noHyphens} style={styles.colQty}>Menge</Text>
            <Text hyphenationCallback={noHyphens} style={styles.colUnit}>Einheit</Text>
            <Text hyphenationCallback={noHyphens} style={styles.colPrice}>Einzelpreis</Text>
            <Text hyphenationCallback={noHyphens} style={styles.colVat}>USt.</Text>
            <Text hyphenationCallback={noHyphens} style={styles.colNet}>Netto</Text>
          </View>
          {data.items.map((item, index) => (
            <View key={index} style={styles.tableRow} wrap={false}>
              <Text hyphenationCallback={noHyphens} style={styles.colPos}>{item.position ?? index + 1}</Text>
              <Text hyphenationCallback={noHyphens} style={styles.colDesc}>{item.description}</Text>
              <Text hyphenationCallback={noHyphens} style={styles.colQty}>{formatQuantity(item.quantity_milli)}</Text>
              <Text hyphenationCallback={noHyphens} style={styles.colUnit}>{item.unit}</Text>
              <Text hyphenationCallback={noHyphens} style={styles.colPrice}>{formatEuro(item.unit_price_cents)}</Text>
              <Text hyphenationCallback={noHyphens} style={styles.colVat}>{formatVatRate(item.vat_rate)}</Text>
              <Text hyphenationCallback={noHyphens} style={styles.colNet}>{formatEuro(item.net_cents)}</Text>
            </View>
          ))}
        </View>

        {/* Totals */}
        <View style={styles.totals} wrap={false}>
          <TotalsRow label="Summe netto" value={formatEuro(data.totals.net_cents)} />
          {data.breakdown.map((entry) => (
            <View key={entry.vat_rate}>
              {!singleRate ? (
                <TotalsRow
                  label={`Nettobetrag ${formatVatRate(entry.vat_rate)}`}
                  value={formatEuro(entry.net_cents)}
                  muted
                />
              ) : null}
              <TotalsRow
                label={`Umsatzsteuer ${formatVatRate(entry.vat_rate)} auf ${formatEuro(entry.net_cents)}`}
                value={formatEuro(entry.vat_cents)}
                muted
              />
            </View>
          ))}
          <View style={styles.totalsGrand}>
            <Text hyphenationCallback={noHyphens}>Gesamtbetrag brutto</Text>
            <Text hyphenationCallback={noHyphens}>{formatEuro(grand)}</Text>
          </View>
        </View>

        {data.reverse_charge ? (
          <View style={styles.noteBox} wrap={false}>
            <Text hyphenationCallback={noHyphens} style={styles.bold}>{REVERSE_CHARGE_NOTE}</Text>
            <Text hyphenationCallback={noHyphens}>
              Die Umsatzsteuer für diese Leistung schuldet der Leistungsempfänger (§ 13b UStG). USt-IdNr. des
              Leistungsempfängers: {data.recipient.vat_id}
            </Text>
          </View>
        ) : null}

        {/* Payment terms */}
        <View style={styles.section} wrap={false}>
          <Text hyphenationCallback={noHyphens} style={[styles.bold, styles.paragraph]}>Zahlungsbedingungen</Text>
          {isCredit ? (
            <Text hyphenationCallback={noHyphens}>
              Der Betrag von {formatEuro(Math.abs(grand))} wird Ihnen auf Ihr Konto erstattet bzw. mit offenen
              Forderungen verrechnet.
            </Text>
          ) : debit ? (
            <Text hyphenationCallback={noHyphens}>
              {debitNoticeText(debit, data.invoice_number)}
            </Text>
          ) : (
            <Text hyphenationCallback={noHyphens}>
              Zahlbar innerhalb von {paymentDays} Tagen ohne Abzug bis zum {formatDateDe(dueDate)}. Bitte überweisen
              Sie den Betrag von {formatEuro(grand)} unter Angabe der Rechnungsnummer {data.invoice_number} auf
              folgendes Konto:
            </Text>
          )}
          {!isCredit && !debit ? (
            <Text hyphenationCallback={noHyphens} style={{ marginTop: 4 }}>
              Kontoinhaber: {issuer.bank.account_holder} · IBAN: {issuer.bank.iban} · BIC: {issuer.bank.bic} ·{" "}
              {issuer.bank.bank_name}
            </Text>
          ) : null}
          {giroCode ? (
            <View style={{ flexDirection: "row", alignItems: "center", marginTop: 6 }}>
              <Svg width={64} height={64} viewBox={`-1 -1 ${giroCode.size + 2} ${giroCode.size + 2}`}>
                <Path d={giroCode.d} fill="#000000" />
              </Svg>
              <Text hyphenationCallback={noHyphens} style={{ marginLeft: 8 }}>GiroCode: mit der Banking-App scannen</Text>
            </View>
          ) : null}
        </View>

        {data.notes ? (
          <View style={styles.section}>
            <Text hyphenationCallback={noHyphens} style={[styles.bold, styles.paragraph]}>Hinweise</Text>
            <Text hyphenationCallback={noHyphens}>{data.notes}</Text>
          </View>
        ) : null}

        <Text hyphenationCallback={noHyphens} style={styles.closing}>Vielen Dank für Ihren Auftrag.</Text>
      </Page>
    </Document>
  );
}
