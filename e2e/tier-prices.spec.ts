import { expect, test } from "./fixtures";
import { login } from "./ui-helpers";

/**
 * Issue 14, "Tarifpreise": staff schedule a new tier price from a date. Before
 * saving, a confirmation names the affected instances and customers (counted by
 * the server) and the date; afterwards the tier list and the customer's status
 * page announce the change, and it can be cancelled before it takes effect.
 * Uses "Professional": in the demo data only bergmann (Bergmann Logistik GmbH) is on it.
 */
test("staff schedule a price change after a confirmation with the affected counts, and can cancel it", async ({ browser, page }) => {
  await login(page, "msp-admin@myit.center");
  await page.goto("/verwaltung/tarife");
  await expect(page.getByRole("heading", { name: "Tarife", level: 1 })).toBeVisible();
  await expect(page.getByTestId("tier-professional")).toHaveText("99,00 € / Monat netto · 1 Instanz");

  const form = page.getByRole("form", { name: "Preisänderung planen: Professional" });
  const date = form.getByLabel("Gültig ab");
  const day = await date.inputValue();
  expect(day).toMatch(/^\d{4}-\d{2}-01$/); // default: first day of the next billing period
  const dayDe = day.split("-").reverse().join(".");

  // The server refuses an unchanged price before any dialog opens.
  await form.getByLabel("Neuer Monatspreis (€)").fill("99,00");
  await form.getByRole("button", { name: "Preisänderung prüfen …" }).click();
  await expect(form.getByText(`Der Tarif kostet ab ${dayDe} bereits 99,00 €.`)).toBeVisible();
  await expect(page.getByRole("dialog")).toHaveCount(0);

  await form.getByLabel("Neuer Monatspreis (€)").fill("89,00");
  await form.getByRole("button", { name: "Preisänderung prüfen …" }).click();
  const dialog = page.getByRole("dialog", { name: "Preisänderung bestätigen" });
  await expect(dialog).toBeVisible();
  const impact = dialog.getByTestId("price-change-impact");
  await expect(impact).toContainText(`Tarif „Professional“: ab ${dayDe} 89,00 € statt 99,00 € pro Monat.`);
  await expect(impact).toContainText("Betroffen: 1 Instanz von 1 Kunden (Firmen).");
  await dialog.getByRole("button", { name: "Preisänderung planen" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText(`Preisänderung geplant: ab ${dayDe}: 89,00 €.`)).toBeVisible();

  const upcoming = page.getByTestId("tier-professional-upcoming");
  await expect(upcoming).toContainText(`ab ${dayDe}: 89,00 €`);
  await expect(page.getByTestId("tier-professional")).toHaveText("99,00 € / Monat netto · 1 Instanz"); // today's price is unchanged

  // The customer sees the announcement on the status page.
  const customerContext = await browser.newContext();
  const customer = await customerContext.newPage();
  await login(customer, "it@bergmann-logistik.de");
  await customer.goto("/");
  await expect(customer.getByText(`ab ${dayDe}: 89,00 €`)).toBeVisible();

  // Cancel before the date: the announcement disappears again.
  await upcoming.getByRole("button", { name: `Stornieren: Preisänderung ab ${dayDe}: 89,00 €` }).click();
  const cancel = page.getByRole("dialog", { name: "Preisänderung stornieren?" });
  await expect(cancel).toBeVisible();
  await cancel.getByRole("button", { name: "Stornieren" }).click();
  await expect(page.getByText(`Preisänderung ab ${dayDe} storniert.`)).toBeVisible();
  await expect(upcoming).toHaveCount(0);
  await customer.reload();
  await expect(customer.getByText("Monatlicher Preis")).toBeVisible();
  await expect(customer.getByText(`ab ${dayDe}: 89,00 €`)).toHaveCount(0);
  await customerContext.close();
});
