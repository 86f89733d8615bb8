/** The mandate's PDF layout (@react-pdf/renderer, like the dunning letter); loaded on demand by `renderMandatePdf`. */
import { Document, Page, StyleSheet, Text, View, renderToBuffer } from "@react-pdf/renderer";

const styles = StyleSheet.create({
  page: { fontFamily: "Helvetica", fontSize: 10, lineHeight: 1.45, padding: 56, color: "#1f2933" },
  title: { fontFamily: "Helvetica-Bold", fontSize: 14, marginBottom: 14, color: "#1f3a5f" },
  line: { marginBottom: 2 },
  gap: { height: 8 },
  footer: { position: "absolute", bottom: 32, left: 56, right: 56, fontSize: 7.5, color: "#616e7c" },
});

function MandateDocument({ text, footer, date }: { text: string; footer: string; date: Date }) {
  const [title, ...lines] = text.split("\n");
  return (
    <Document title={title} author={footer} creator="Manage Portal" producer="Manage Portal" creationDate={date} modificationDate={date}>
      <Page size="A4" style={styles.page}>
        <Text style={styles.title}>{title}</Text>
        <View>{lines.map((line, i) => (line === "" ? <View key={i} style={styles.gap} /> : <Text key={i} style={styles.line}>{line}</Text>))}</View>
        <Text style={styles.footer} fixed>
          {footer}
        </Text>
      </Page>
    </Document>
  );
}

/** Deterministic for the same mandate: the PDF's dates are the signing day at 12:00 UTC. */
export async function renderMandatePdfNow(text: string, footer: string, signedOn: string): Promise<Buffer> {
  return (await renderToBuffer(<MandateDocument text={text} footer={footer} date={new Date(`${signedOn}T12:00:00Z`)} />)) as Buffer;
}
