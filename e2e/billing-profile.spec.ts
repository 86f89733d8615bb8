import { expect, test, type Page } from "./fixtures";
import { login } from "./ui-helpers";

/**
 * Billing profile: staff set up a customer's invoice recipient with a Leitweg-ID on the
 * instance page, at desktop and phone width. Wrong VAT ID, post code and Leitweg-ID get
 * German messages under their fields; the corrected profile is saved and shown again.
 * Uses acme (Acme Corp); each width writes the same valid profile, so the order does not matter.
 */
const sizes = [
  { name: "desktop", width: 1440, height: 900 },
  { name: "phone", width: 390, height: 844 },
];

async function openInstance(page: Page, company: string) {
  await page.goto("/verwaltung");
  await page.getByLabel("Suche").fill(company);
  await page.getByRole("link", { name: company }).first().click();
  await expect(page.getByRole("heading", { name: company, level: 1 })).toBeVisible();
}

for (const size of sizes) {
  test(`staff set up a public-sector billing profile with a Leitweg-ID (${size.name})`, async ({ page }) => {
    await page.setViewportSize({ width: size.width, height: size.height });
    await login(page, "msp-admin@myit.center");
    await openInstance(page, "Acme Corp");
    const form = page.getByTestId("billing-profile-form");
    await expect(form).toBeVisible();

    await form.getByLabel("Straße und Hausnummer").fill("Rathausplatz 1");
    await form.getByLabel("PLZ").fill("1234");
    await form.getByLabel("Ort").fill("Musterstadt");
    await form.getByLabel("Rechnungs-E-Mail-Adressen").fill("rechnung@musterstadt.de");
    await form.getByLabel("USt-IdNr.").fill("DE1234");
    await form.getByLabel("E-Rechnungsformat").selectOption("xrechnung_ubl");
    await form.getByLabel("Leitweg-ID").fill("991-12345-67");
    await form.getByRole("button", { name: "Rechnungsprofil speichern" }).click();

    await expect(form.getByText("Die Postleitzahl passt nicht zu Deutschland (5 Ziffern, z. B. 70565).")).toBeVisible();
    await expect(form.getByText("Die USt-IdNr. hat nicht das Format für Deutschland (z. B. DE123456789).")).toBeVisible();
    await expect(form.getByText("Die Prüfziffer der Leitweg-ID stimmt nicht (erwartet 73).")).toBeVisible();

    await form.getByLabel("PLZ").fill("12345");
    await form.getByLabel("USt-IdNr.").fill("DE123456789");
    await form.getByLabel("Leitweg-ID").fill("991-12345-73");
    await form.getByRole("button", { name: "Rechnungsprofil speichern" }).click();
    await expect(page.getByText(/Rechnungsprofil gespeichert|Keine Änderungen\./)).toBeVisible();
    await expect(form.getByText("Die Prüfziffer der Leitweg-ID stimmt nicht", { exact: false })).toHaveCount(0);

    await page.reload();
    const reloaded = page.getByTestId("billing-profile-form");
    await expect(reloaded.getByLabel("Leitweg-ID")).toHaveValue("991-12345-73");
    await expect(reloaded.getByLabel("PLZ")).toHaveValue("12345");
    await expect(reloaded.getByLabel("E-Rechnungsformat")).toHaveValue("xrechnung_ubl");
    // nothing sticks out of the phone screen
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });
}
