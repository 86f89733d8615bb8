import { expect, test, type Page } from "./fixtures";
import { login } from "./helpers";

type OpenInvoice = { invoice_number: string; remaining_amount: number };

function camt(id: string, entries: { amount: number; text: string }[]) {
  const ntry = entries
    .map(
      (e, i) => `<Ntry><Amt Ccy="EUR">${e.amount.toFixed(2)}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>
      <BookgDt><Dt>2026-11-20</Dt></BookgDt><ValDt><Dt>2026-11-20</Dt></ValDt><AcctSvcrRef>${id}-${i}</AcctSvcrRef>
      <NtryDtls><TxDtls><RltdPties><Dbtr><Nm>Testzahler</Nm></Dbtr></RltdPties><RmtInf><Ustrd>${e.text}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>`,
    )
    .join("\n");
  return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><GrpHdr><MsgId>${id}</MsgId><CreDtTm>2026-11-20T08:00:00</CreDtTm></GrpHdr>
<Stmt><Id>s</Id><CreDtTm>2026-11-20T08:00:00</CreDtTm><Acct><Id><IBAN>DE89370400440532013000</IBAN></Id></Acct>${ntry}</Stmt></BkToCstmrStmt></Document>`;
}

const card = (page: Page, title: string) => page.locator("section").filter({ has: page.getByRole("heading", { name: title, exact: true }) });
const euro = (amount: number) => amount.toFixed(2).replace(".", ",");

test("staff assign an unmatched payment by invoice number, split one over two invoices and undo a wrong assignment (1440 and 390 px)", async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await login(page, "msp-admin@myit.center");
  await page.goto("/verwaltung/zahlungen");
  const open: OpenInvoice[] = await page.evaluate(async () => {
    const res = await fetch("/api/manage/admin/invoices?status=open&per_page=100", { credentials: "same-origin" });
    return ((await res.json()).invoices as OpenInvoice[]).filter((i) => i.remaining_amount > 0);
  });
  expect(open.length).toBeGreaterThanOrEqual(3);
  const [a, b, c] = open as [OpenInvoice, OpenInvoice, OpenInvoice];
  const tag = `E2E${Date.now()}`;
  const single = `Zahlung ohne Nummer ${tag}`;
  const batch = `Sammelzahlung ${tag}`;
  await page.getByLabel("CAMT.053-Datei").setInputFiles({
    name: "auszug.xml",
    mimeType: "application/xml",
    buffer: Buffer.from(camt(tag, [{ amount: a.remaining_amount, text: single }, { amount: b.remaining_amount + c.remaining_amount, text: batch }])),
  });
  await page.getByRole("button", { name: "Importieren" }).click();
  await expect(page.getByTestId("import-summary")).toContainText("2 nicht zugeordnet");

  const unmatched = card(page, "Nicht zugeordnete Zahlungseingänge");
  const recent = card(page, "Zuletzt zugeordnete Zahlungseingänge");

  // 1. By invoice number, typed as on a bank slip (spaces instead of hyphens).
  const singleRow = unmatched.getByRole("row").filter({ hasText: single });
  await singleRow.getByRole("button", { name: /zuordnen$/ }).click();
  await expect(singleRow.getByRole("list", { name: "Vorschläge" })).toContainText(a.invoice_number);
  await singleRow.getByLabel(/^Rechnungsnummer/).fill(a.invoice_number.replaceAll("-", " "));
  await singleRow.getByRole("button", { name: "Zuordnen", exact: true }).click();
  await expect(unmatched.getByRole("row").filter({ hasText: single })).toHaveCount(0);
  await expect(recent.getByRole("row").filter({ hasText: single })).toContainText(`${euro(a.remaining_amount)} € → ${a.invoice_number}`);

  // 2. Split: the first invoice with its amount, the second takes the rest.
  const batchRow = unmatched.getByRole("row").filter({ hasText: batch });
  await batchRow.getByRole("button", { name: /zuordnen$/ }).click();
  await batchRow.getByLabel(/^Rechnungsnummer/).fill(b.invoice_number);
  await batchRow.getByLabel(/^Betrag/).fill(euro(b.remaining_amount));
  await batchRow.getByRole("button", { name: "Weitere Rechnung (aufteilen)" }).click();
  await batchRow.getByLabel("Rechnungsnummer 2").fill(c.invoice_number);
  await page.screenshot({ path: "test-results/screenshots/zahlung-aufteilen-1440.png", fullPage: true });
  await batchRow.getByRole("button", { name: "Aufgeteilt zuordnen" }).click();
  const batchDone = recent.getByRole("row").filter({ hasText: batch });
  await expect(batchDone).toContainText(`→ ${b.invoice_number}`);
  await expect(batchDone).toContainText(`${euro(c.remaining_amount)} € → ${c.invoice_number}`);

  // 3. Undo, after a confirmation with a reason; the payment is open for assignment again.
  await recent.getByRole("row").filter({ hasText: single }).getByRole("button", { name: "Rückgängig" }).click();
  const dialog = page.getByRole("dialog", { name: "Zuordnung aufheben?" });
  await expect(dialog).toContainText(a.invoice_number);
  await expect(dialog.getByRole("button", { name: "Zuordnung aufheben" })).toBeDisabled();
  await dialog.getByLabel("Grund").fill("Falscher Kunde");
  await dialog.getByRole("button", { name: "Zuordnung aufheben" }).click();
  await expect(unmatched.getByRole("row").filter({ hasText: single })).toContainText("Falscher Kunde");

  // The phone width: the assignment panel with its suggestions fits.
  await page.setViewportSize({ width: 390, height: 844 });
  await unmatched.getByRole("row").filter({ hasText: single }).getByRole("button", { name: /zuordnen$/ }).click();
  await expect(unmatched.getByRole("list", { name: "Vorschläge" })).toContainText(a.invoice_number);
  await page.screenshot({ path: "test-results/screenshots/zahlung-zuordnen-390.png", fullPage: true });
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.screenshot({ path: "test-results/screenshots/zahlung-zuordnen-1440.png", fullPage: true });
});
