import { expect, test } from "./fixtures";
import { login } from "./helpers";

test("dunning in sight: the dashboard names the stage of an overdue customer, its page shows stage, next step and the overdue invoices, and staff remind now (1440 and 390 px)", async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await login(page, "msp-admin@myit.center");
  await page.goto("/");
  const overdue = page.getByTestId("overdue-customer").filter({ hasText: "Nordlicht Design UG" });
  await expect(overdue).toContainText("Mahnstufe: Überfällig, noch keine Mahnung");
  await expect(overdue).toContainText(/nächster Schritt: Zahlungserinnerung am \d{2}\.\d{2}\.\d{4}/);
  await expect(overdue.getByRole("link", { name: /^RE-\d{4}-\d{4}$/ }).first()).toBeVisible();
  await page.screenshot({ path: "test-results/screenshots/mahnwesen-dashboard-1440.png", fullPage: true });

  await overdue.getByRole("link", { name: "Nordlicht Design UG" }).click();
  const outlook = page.getByTestId("dunning-outlook");
  await expect(outlook.getByTestId("dunning-stage")).toHaveText("Überfällig, noch keine Mahnung");
  await expect(outlook.getByTestId("dunning-next")).toHaveText(/^Zahlungserinnerung am \d{2}\.\d{2}\.\d{4} \(RE-\d{4}-\d{4}\)$/);
  await expect(page.getByRole("list", { name: "Überfällige Rechnungen" })).toContainText("Tagen überfällig");

  await page.getByRole("button", { name: "Jetzt mahnen" }).click();
  await expect(page.getByRole("status").filter({ hasText: /Zahlungserinnerung zu RE-\d{4}-\d{4} versendet\./ })).toBeVisible();
  await expect(outlook.getByTestId("dunning-stage")).toHaveText("Zahlungserinnerung");
  await expect(outlook.getByTestId("dunning-next")).toHaveText(/^1\. Mahnung am /);
  await page.getByTestId("dunning-pause").scrollIntoViewIfNeeded();
  await page.screenshot({ path: "test-results/screenshots/mahnwesen-instanz-1440.png", fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await expect(outlook.getByTestId("dunning-stage")).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.screenshot({ path: "test-results/screenshots/mahnwesen-instanz-390.png", fullPage: true });
});
