/** The dunning letter's PDF layout (@react-pdf/renderer); loaded on demand by `renderDunningLetter` (letter.tsx). */
import { formatDateDe } from "@/lib/time";
import { Document, Page, StyleSheet, Text, View, renderToBuffer } from "@react-pdf/renderer";

import type { IssuerConfig } from "@/lib/invoices/pdf";
import { formatEuro } from "@/lib/money";
import { STAGE_TITLES, letterReference, letterTotalCents, type DunningStage, type LetterData } from "./letter-data";

const INTRO: Record<DunningStage, string> = {
  reminder:
    "sicher ist es Ihrer Aufmerksamkeit entgangen: Für die folgenden Rechnungen konnten wir bis heute keinen Zahlungseingang feststellen. Bitte überweisen Sie den offenen Betrag.",
  dunning_1:
    "leider konnten wir trotz unserer Zahlungserinnerung noch keinen Zahlungseingang für die folgenden Rechnungen feststellen. Bitte begleichen Sie den offenen Betrag umgehend.",
  dunning_2:
    "trotz Zahlungserinnerung und erster Mahnung sind die folgenden Rechnungen weiterhin offen. Bitte überweisen Sie den Gesamtbetrag sofort. Bleibt die Zahlung aus, wird Ihre Instanz gesperrt.",
};

const styles = StyleSheet.create({
  page: { fontFamily: "Helvetica", fontSize: 10, lineHeight: 1.4, padding: 56, color: "#1f2933" },
  sender: { fontSize: 7.5, color: "#616e7c", marginBottom: 6 },
  brand: { fontFamily: "Helvetica-Bold", fontSize: 14, color: "#1f3a5f", marginBottom: 18 },
  address: { marginBottom: 24 },
  date: { textAlign: "right", marginBottom: 18 },
  title: { fontFamily: "Helvetica-Bold", fontSize: 14, marginBottom: 12 },
  paragraph: { marginBottom: 10 },
  row: { flexDirection: "row", borderBottomWidth: 0.5, borderBottomColor: "#cbd2d9", paddingVertical: 3 },
  head: { fontFamily: "Helvetica-Bold", backgroundColor: "#eef1f5" },
  c1: { width: "34%" },
  c2: { width: "22%" },
  c3: { width: "22%" },
  c4: { width: "22%", textAlign: "right" },
  total: { flexDirection: "row", justifyContent: "space-between", fontFamily: "Helvetica-Bold", paddingVertical: 4 },
  bank: { marginTop: 14, padding: 8, backgroundColor: "#eef1f5" },
  footer: { position: "absolute", bottom: 30, left: 56, right: 56, fontSize: 7, color: "#616e7c", textAlign: "center" },
});

function DunningLetter({ data, issuer }: { data: LetterData; issuer: IssuerConfig }) {
  const total = letterTotalCents(data);
  const title = STAGE_TITLES[data.stage];
  const r = data.recipient;
  return (
    <Document title={`${title} ${letterReference(data.invoices)}`} author={issuer.name} creator={issuer.name} producer={issuer.name} creationDate={new Date(`${data.letterDate}T12:00:00Z`)}>
      <Page size="A4" style={styles.page}>
        <Text style={styles.brand}>{issuer.name}</Text>
        <Text style={styles.sender}>{[issuer.name, ...issuer.address_lines].join(" · ")}</Text>
        <View style={styles.address}>
          <Text>{r.company_name}</Text>
          {r.name ? <Text>z. Hd. {r.name}</Text> : null}
          {r.address_lines.map((line, i) => (
            <Text key={i}>{line}</Text>
          ))}
        </View>
        <Text style={styles.date}>{formatDateDe(data.letterDate)}</Text>
        <Text style={styles.title}>{title}</Text>
        <Text style={styles.paragraph}>Sehr geehrte Damen und Herren,</Text>
        <Text style={styles.paragraph}>{INTRO[data.stage]}</Text>
        <View style={[styles.row, styles.head]}>
          <Text style={styles.c1}>Rechnungsnummer</Text>
          <Text style={styles.c2}>Rechnungsdatum</Text>
          <Text style={styles.c3}>Fällig am</Text>
          <Text style={styles.c4}>Offener Betrag</Text>
        </View>
        {data.invoices.map((i) => (
          <View key={i.number} style={styles.row}>
            <Text style={styles.c1}>{i.number}</Text>
            <Text style={styles.c2}>{i.invoiceDate ? formatDateDe(i.invoiceDate) : "–"}</Text>
            <Text style={styles.c3}>{formatDateDe(i.dueDate)}</Text>
            <Text style={styles.c4}>{formatEuro(i.openCents)}</Text>
          </View>
        ))}
        {data.feeCents > 0 ? (
          <View style={styles.row}>
            <Text style={{ width: "78%" }}>Mahngebühr</Text>
            <Text style={styles.c4}>{formatEuro(data.feeCents)}</Text>
          </View>
        ) : null}
        <View style={styles.total}>
          <Text>Zu zahlender Betrag</Text>
          <Text>{formatEuro(total)}</Text>
        </View>
        <Text style={styles.paragraph}>
          Bitte überweisen Sie {formatEuro(total)} bis zum {formatDateDe(data.payUntil)} unter Angabe der Rechnungsnummern. Sollten Sie die Zahlung
          bereits veranlasst haben, betrachten Sie dieses Schreiben bitte als gegenstandslos.
        </Text>
        <View style={styles.bank}>
          <Text>Kontoinhaber: {issuer.bank.account_holder}</Text>
          <Text>IBAN: {issuer.bank.iban}</Text>
          <Text>BIC: {issuer.bank.bic}</Text>
          <Text>Bank: {issuer.bank.bank_name}</Text>
          <Text>Verwendungszweck: {letterReference(data.invoices)}</Text>
        </View>
        <Text style={[styles.paragraph, { marginTop: 14 }]}>Mit freundlichen Grüßen{"\n"}{issuer.name}</Text>
        <Text style={styles.footer} fixed>
          {[issuer.name, ...issuer.address_lines, issuer.email, issuer.vat_id ? `USt-IdNr. ${issuer.vat_id}` : issuer.tax_number ? `St.-Nr. ${issuer.tax_number}` : null]
            .filter(Boolean)
            .join(" · ")}
        </Text>
      </Page>
    </Document>
  );
}

export async function renderLetterPdf(data: LetterData, issuer: IssuerConfig): Promise<Buffer> {
  return renderToBuffer(<DunningLetter data={data} issuer={issuer} />);
}
