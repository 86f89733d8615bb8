import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "./fixtures";
import { SCREENSHOTS, WIDTHS } from "./stack";
import { login } from "./ui-helpers";

/**
 * A customer admin keeps the invoice address and the invoice e-mails on the account page
 * (issue 20: "customer admins may edit their invoice address and invoice e-mail"). A wrong
 * post code and a wrong address get German messages under their fields and nothing is
 * saved; the corrected address is saved, shown again after a reload and logged.
 * Uses bergmann; each width writes its own valid street, so the order does not matter.
 */
for (const size of WIDTHS) {
  test(`a customer admin corrects the invoice address on the account page (${size.width} px)`, async ({ page }) => {
    await page.setViewportSize({ width: size.width, height: size.height });
    await login(page, "it@bergmann-logistik.de");
    await page.goto("/konto#rechnungsadresse");
    const card = page.locator("#rechnungsadresse");
    const form = card.getByTestId("billing-profile-form");
    await expect(form).toBeVisible();
    // Tax data and the e-invoice format stay with the MSP.
    await expect(form.getByLabel("USt-IdNr.")).toHaveCount(0);
    await expect(form.getByLabel("Leitweg-ID")).toHaveCount(0);

    const street = `Hafenstraße ${size.width}`;
    await form.getByLabel("Straße und Hausnummer").fill(street);
    await form.getByLabel("Land").selectOption("DE");
    await form.getByLabel("PLZ").fill("2045");
    await form.getByLabel("Rechnungs-E-Mail-Adressen").fill("buchhaltung@bergmann-logistik, rechnung@bergmann-logistik.de");
    await form.getByRole("button", { name: "Rechnungsadresse speichern" }).click();
    await expect(form.getByText("Die Postleitzahl passt nicht zu Deutschland (5 Ziffern, z. B. 70565).")).toBeVisible();
    await expect(form.getByText("Bitte die markierten Felder korrigieren.")).toBeVisible();
    await expect(form.getByLabel("PLZ")).toBeFocused();

    await form.getByLabel("PLZ").fill("20457");
    await form.getByLabel("Ort").fill("Hamburg");
    await form.getByLabel("Rechnungs-E-Mail-Adressen").fill("rechnung@bergmann-logistik.de");
    await form.getByRole("button", { name: "Rechnungsadresse speichern" }).click();
    await expect(page.getByText("Rechnungsadresse gespeichert").first()).toBeVisible();
    const axe = await new AxeBuilder({ page }).include("#rechnungsadresse").withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
    expect(axe.violations.map((v) => v.id)).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOTS}/kunde-rechnungsadresse-${size.width}.png`, fullPage: true });

    await page.reload();
    await expect(page.locator("#rechnungsadresse").getByLabel("Straße und Hausnummer")).toHaveValue(street);
    await expect(page.locator("#rechnungsadresse").getByLabel("PLZ")).toHaveValue("20457");
    await page.goto("/aktivitaet");
    await expect(page.getByText(/Rechnungsprofil geändert \(Kunde\)/).first()).toBeVisible();
  });
}
