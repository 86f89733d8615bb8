import { readFileSync } from "node:fs";
import { expect, test, type Page } from "./fixtures";
import { latestMail, login, logout } from "./helpers";

async function openInvoices(page: Page) {
  await page.getByRole("navigation", { name: "Hauptnavigation" }).getByRole("link", { name: "Rechnungen" }).click();
  await expect(page.getByRole("heading", { name: "Rechnungen", exact: true })).toBeVisible();
}

test("customer sees statistics, filters, searches, opens an invoice and downloads its PDF", async ({ page }) => {
  await login(page, "admin@firma.de");
  await openInvoices(page);

  await expect(page.getByTestId("stat-open")).toContainText("3");
  await expect(page.getByTestId("stat-paid")).toContainText("5");
  await expect(page.getByTestId("stat-overdue")).toContainText("1");
  await expect(page.getByTestId("stat-open-amount")).toContainText("370,50 €") // two open licences at 49,00 € net (58,31 € gross) and 253,88 € left of the service invoice;
  await expect(page.getByTestId("invoice-row")).toHaveCount(8);

  await page.getByLabel("Status").selectOption("paid");
  await expect(page.getByTestId("invoice-row")).toHaveCount(5);
  for (const badge of await page.getByTestId("invoice-status").all()) await expect(badge).toHaveAttribute("data-status", "paid");
  await page.getByLabel("Status").selectOption("overdue");
  await expect(page.getByTestId("invoice-row")).toHaveCount(1);
  await expect(page.getByTestId("invoice-status")).toHaveText("Überfällig");
  // The filter lives in the URL: a reload shows the same list.
  await expect(page).toHaveURL(/status=overdue/);
  await page.reload();
  await expect(page.getByLabel("Status")).toHaveValue("overdue");
  await expect(page.getByTestId("invoice-row")).toHaveCount(1);

  await page.getByLabel("Status").selectOption("");
  await page.getByLabel("Suche (Rechnungsnummer oder Titel)").fill("einrichtung");
  await page.getByRole("button", { name: "Suchen" }).click();
  await expect(page).toHaveURL(/suche=einrichtung/);
  await expect(page.getByTestId("invoice-row")).toHaveCount(1);
  await page.getByTestId("invoice-row").getByRole("link").click();

  await expect(page.getByRole("heading", { name: /^Rechnung RE-\d{4}-\d{4}$/ })).toBeVisible();
  await expect(page.getByTestId("invoice-status")).toHaveText("Teilweise bezahlt");
  await expect(page.getByTestId("invoice-totals")).toContainText("453,88 €");
  await expect(page.getByTestId("invoice-totals")).toContainText("253,88 €");
  const heading = (await page.getByRole("heading", { level: 1 }).textContent())!;
  const number = heading.replace("Rechnung ", "").trim();

  const downloadPromise = page.waitForEvent("download");
  await page.getByRole("link", { name: "PDF herunterladen" }).click();
  const download = await downloadPromise;
  expect(download.suggestedFilename()).toBe(`${number}.pdf`);
  const bytes = readFileSync((await download.path())!);
  expect(bytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");

  // In-browser view: the same archived bytes, served inline.
  const viewHref = await page.getByRole("link", { name: "PDF im Browser ansehen" }).getAttribute("href");
  const inline = await page.request.get(viewHref!);
  expect(inline.headers()["content-type"]).toBe("application/pdf");
  expect(inline.headers()["content-disposition"]).toBe(`inline; filename="${number}.pdf"`);
  expect(Buffer.from(await inline.body()).equals(bytes)).toBe(true);
});

test("staff drafts, issues and books a payment; the customer then sees the invoice paid", async ({ page, request }) => {
  await login(page, "msp-admin@myit.center");
  await page.getByRole("link", { name: "Rechnungsstellung" }).click();
  await expect(page.getByRole("heading", { name: "Rechnungsstellung" })).toBeVisible();
  await page.getByRole("link", { name: "Neuer Rechnungsentwurf" }).click();

  await page.getByLabel("Instanz (Kunde)").selectOption({ label: "Acme Corp (acme)" });
  await expect(page.getByLabel("Anschrift (eine Zeile pro Zeile)")).toHaveValue(/Industriestraße 12/);
  await page.getByLabel("Titel").fill("E2E Wartungspauschale");
  await page.getByLabel("Beschreibung (Pos. 1)").fill("Wartung Firewall");
  await page.getByLabel("Menge").fill("3");
  await page.getByLabel("Einzelpreis netto (€)").fill("abc");
  await page.getByRole("button", { name: "Entwurf speichern" }).click();
  await expect(page.getByText(/Der Einzelpreis muss ein Betrag/)).toBeVisible();
  await page.getByLabel("Einzelpreis netto (€)").fill("33,33");
  await page.getByRole("button", { name: "Entwurf speichern" }).click();

  await expect(page.getByRole("heading", { name: "Rechnungsentwurf" })).toBeVisible();
  await expect(page.getByText("Summe 118,99 € brutto")).toBeVisible();
  await page.getByRole("button", { name: "Rechnung ausstellen" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Jetzt ausstellen" }).click();

  const heading = page.getByRole("heading", { name: /^Rechnung RE-\d{4}-\d{4}$/ });
  await expect(heading).toBeVisible();
  const number = (await heading.textContent())!.replace("Rechnung ", "").trim();
  await expect(page.getByTestId("invoice-status")).toHaveText("Offen");

  const mail = await latestMail(request, "admin@firma.de");
  expect(mail.subject).toContain(`Rechnung ${number}`);

  await expect(page.getByLabel("Betrag (€)")).toHaveValue("118,99");
  await page.getByLabel("Betrag (€)").fill("18,99");
  await page.getByRole("button", { name: "Zahlung buchen" }).click();
  await expect(page.getByTestId("invoice-status")).toHaveText("Teilweise bezahlt");
  await expect(page.getByLabel("Betrag (€)")).toHaveValue("100,00");
  await page.getByRole("button", { name: "Zahlung buchen" }).click();
  await expect(page.getByTestId("invoice-status")).toHaveText("Bezahlt");
  await expect(page.getByTestId("payments").getByRole("listitem")).toHaveCount(2);

  await logout(page);
  await login(page, "admin@firma.de");
  await openInvoices(page);
  await page.getByLabel("Suche (Rechnungsnummer oder Titel)").fill(number);
  await page.getByRole("button", { name: "Suchen" }).click();
  await expect(page.getByTestId("invoice-row")).toHaveCount(1);
  await expect(page.getByTestId("invoice-row")).toContainText("E2E Wartungspauschale");
  await expect(page.getByTestId("invoice-status")).toHaveText("Bezahlt");
});
