/**
 * The money loop in the browser: a suspended customer sees what to pay (open
 * invoices, amount, bank details, GiroCode); staff preview and start a billing
 * run and import the bank statement with that payment, seeing matched and
 * unmatched entries.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "./fixtures";
import { login, logout } from "./helpers";

let reference = "";
let amountDue = "";

test("a suspended customer sees what to pay and the GiroCode", async ({ page }) => {
  await login(page, "info@nordlicht-design.de");
  await expect(page.getByRole("alert").filter({ hasText: "Ihre Instanz ist gesperrt" })).toBeVisible();
  const due = page.getByTestId("payment-due");
  await expect(due.getByRole("heading", { name: "Offene Rechnungen bezahlen" })).toBeVisible();
  const rows = due.locator("tbody tr");
  await expect(rows).toHaveCount(2);
  await expect(rows.first()).toContainText("(überfällig)");
  const numbers = (await rows.locator("td:first-child").allTextContents()).map((t) => t.trim());
  expect(numbers.every((n) => /^RE-\d{4}-\d{4}$/.test(n))).toBe(true);
  reference = numbers.join(" ");
  amountDue = (await due.getByTestId("amount-due").textContent())!.trim();
  expect(amountDue).toMatch(/^\d{1,3}(\.\d{3})*,\d{2}\s€$/);
  await expect(due.getByTestId("bank-details")).toContainText("DE89 3704 0044 0532 0130 00");
  await expect(due.getByTestId("bank-details")).toContainText(reference);
  await expect(due.getByTestId("girocode").getByRole("img", { name: "GiroCode für die Überweisung" })).toBeVisible();

  // a blocked section shows the same payment details
  await page.goto("/rechnungen");
  await expect(page.getByRole("heading", { name: "Bereich nicht verfügbar" })).toBeVisible();
  await expect(page.getByTestId("payment-due").getByTestId("amount-due")).toHaveText(amountDue);
  await logout(page);
});

test("staff preview and start a billing run, then import the statement and see matched and unmatched entries", async ({ page }) => {
  await login(page, "msp-admin@myit.center");
  await page.goto("/verwaltung/abrechnung");
  await expect(page.getByRole("heading", { name: "Abrechnung", level: 1 })).toBeVisible();
  await expect(page.getByTestId("billing-summary")).toBeVisible();
  await expect(page.getByTestId("dunning-settings")).toBeVisible();
  await expect(page.getByLabel("Sperre nach (Tagen)")).toHaveValue("30");

  await page.getByRole("button", { name: "Rechnungslauf starten" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Rechnungslauf starten" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Rechnungslauf abgeschlossen" })).toBeVisible();
  // a second run bills nothing twice
  await expect(page.getByRole("button", { name: "Rechnungslauf starten" })).toBeDisabled();

  const euros = amountDue.replace(/\s€$/, "").replaceAll(".", "").replace(",", ".");
  const xml = readFileSync(join(process.cwd(), "e2e", "fixtures", "camt053-money-loop.xml"), "utf8").replace("{{AMOUNT}}", euros).replace("{{REFERENCE}}", reference);
  await page.goto("/verwaltung/zahlungen");
  await page.getByLabel("CAMT.053-Datei").setInputFiles({ name: "auszug.xml", mimeType: "application/xml", buffer: Buffer.from(xml) });
  await page.getByRole("button", { name: "Importieren" }).click();
  const summary = page.getByTestId("import-summary");
  await expect(summary).toContainText("2 Buchungen gelesen");
  await expect(summary).toContainText("1 zugeordnet");
  await expect(summary).toContainText("1 nicht zugeordnet");
  for (const number of reference.split(" ")) await expect(summary).toContainText(`→ ${number}`);
  await expect(page.getByText("Vorkasse ohne Rechnungsnummer").first()).toBeVisible();
});
