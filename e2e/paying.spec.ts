import { expect, test, type Page } from "./fixtures";
import { login } from "./helpers";

/** Opens the customer's partially paid invoice (seeded: 453,88 € gross, 253,88 € open). */
async function openPartiallyPaidInvoice(page: Page) {
  // By address: on a phone the main navigation sits behind the menu button.
  await page.goto("/rechnungen");
  await page.getByLabel("Status").selectOption("partially_paid");
  await expect(page.getByTestId("invoice-row")).toHaveCount(1);
  await page.getByTestId("invoice-row").getByRole("link").click();
  await expect(page.getByRole("heading", { name: /^Rechnung RE-\d{4}-\d{4}$/ })).toBeVisible();
  return (await page.getByRole("heading", { level: 1 }).textContent())!.replace("Rechnung ", "").trim();
}

for (const viewport of [
  { name: "1440", width: 1440, height: 900 },
  { name: "390", width: 390, height: 844 },
]) {
  test(`paying from the screen at ${viewport.name} px: amount, holder, IBAN, BIC and reference as text, each copyable`, async ({ page, context }) => {
    await context.grantPermissions(["clipboard-read", "clipboard-write"]);
    await page.setViewportSize({ width: viewport.width, height: viewport.height });
    await login(page, "admin@firma.de");
    const number = await openPartiallyPaidInvoice(page);

    const details = page.getByTestId("payment-details");
    await expect(details).toBeVisible();
    await expect(page.getByTestId("girocode")).toBeVisible();
    await expect(details.getByTestId("pay-amount")).toHaveText("253,88 €");
    await expect(details.getByTestId("pay-reference")).toHaveText(number);
    await expect(details.getByTestId("pay-iban")).toHaveText(/^[A-Z]{2}\d{2}( [A-Z0-9]{1,4})+$/);
    await expect(details.getByTestId("pay-bic")).toHaveText(/^[A-Z0-9]{8,11}$/);
    await expect(details.getByTestId("pay-holder")).not.toBeEmpty();
    // Nothing sticks out of a phone screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);

    const grouped = (await details.getByTestId("pay-iban").textContent())!;
    for (const [label, expected] of [
      ["IBAN", grouped.replaceAll(" ", "")],
      ["Verwendungszweck", number],
      ["Jetzt fälliger Betrag", "253,88"],
      ["BIC", (await details.getByTestId("pay-bic").textContent())!],
      ["Kontoinhaber", (await details.getByTestId("pay-holder").textContent())!],
    ] as const) {
      const button = details.getByRole("button", { name: `${label} kopieren` });
      await button.click();
      await expect(button).toHaveText("Kopiert ✓");
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(expected);
    }
    await page.screenshot({ path: `test-results/screenshots/zahlungsdaten-${viewport.name}.png`, fullPage: true });
  });
}
