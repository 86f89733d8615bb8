/**
 * A customer suspended by dunning (the demo's "sonnental", seed option dunningStages) reads what is
 * locked and what is not, downloads the PDF of the invoice to pay from the suspension screen through
 * its signed link, and learns that a booked payment lifts the suspension with a mail. The manage API
 * stays closed beyond /auth/* and /status.
 */
import { readFileSync } from "node:fs";
import { expect, test, type Page } from "./fixtures";
import { login } from "./helpers";

const CUSTOMER = "buchhaltung@sonnental-reisen.de";

async function downloadFirstPdf(page: Page) {
  const pdfs = page.getByTestId("payment-due").getByRole("list", { name: "Rechnungen als PDF" });
  const link = pdfs.getByRole("link", { name: /^PDF herunterladen: Rechnung RE-\d{4}-\d{4}$/ }).first();
  await expect(link).toBeVisible();
  await expect(link).toHaveText("PDF herunterladen");
  const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
  expect(download.suggestedFilename()).toMatch(/^RE-\d{4}-\d{4}\.pdf$/);
  const bytes = readFileSync((await download.path())!);
  expect(bytes.subarray(0, 5).toString()).toBe("%PDF-");
  return { href: (await link.getAttribute("href"))!, bytes };
}

for (const viewport of [
  { name: "1440", width: 1440, height: 900 },
  { name: "390", width: 390, height: 844 },
]) {
  test(`a customer suspended by dunning downloads the invoice PDF from the suspension screen at ${viewport.name} px`, async ({ page }) => {
    await page.setViewportSize({ width: viewport.width, height: viewport.height });
    await login(page, CUSTOMER);

    const banner = page.getByTestId("suspended-banner");
    await expect(banner).toContainText("Ihre Instanz ist gesperrt.");
    await expect(banner).toContainText("Gesperrt sind Server, Domains, die Rechnungsübersicht und das Aktivitätsprotokoll.");
    await expect(banner).toContainText("mit den offenen Rechnungen als PDF zum Herunterladen, Bankverbindung und GiroCode, und Ihr Konto.");
    await expect(banner).not.toContainText("Rechnungen sind bis zur Reaktivierung nicht verfügbar");

    const due = page.getByTestId("payment-due");
    await expect(due.getByTestId("reactivation-explained")).toContainText("hebt das Portal die Sperre automatisch auf");
    await expect(due.getByTestId("reactivation-explained")).toContainText("Sie erhalten dann eine E-Mail");
    await expect(due.getByTestId("reactivation-explained")).toContainText("Kontoauszugs oder von unserem Team von Hand");

    const overview = await downloadFirstPdf(page);
    expect(overview.href).toMatch(/^\/api\/files\/invoices\/\d+\.pdf\?expires=\d+&signature=[A-Za-z0-9_-]{43}$/);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
    await due.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `test-results/screenshots/gesperrt-rechnung-pdf-${viewport.name}.png`, fullPage: true });

    // A locked section (here: the invoices) shows the same PDFs on its suspension page.
    await page.goto("/rechnungen");
    await expect(page.getByRole("heading", { name: "Bereich nicht verfügbar" })).toBeVisible();
    await expect(page.getByText("dort finden Sie auch die offenen Rechnungen als PDF")).toBeVisible();
    const fromNotice = await downloadFirstPdf(page);
    expect(fromNotice.bytes.equals(overview.bytes)).toBe(true); // the archived bytes, the same each time
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
    await page.screenshot({ path: `test-results/screenshots/gesperrt-bereich-pdf-${viewport.name}.png`, fullPage: true });
  });
}

test("the link is the only way in: a changed link is refused in German, the manage API stays closed beyond /status", async ({ page }) => {
  await login(page, CUSTOMER);
  const link = page.getByTestId("payment-due").getByRole("link", { name: /^PDF herunterladen/ }).first();
  const href = (await link.getAttribute("href"))!;

  const changed = await page.request.get(href.replace(/expires=(\d+)/, (_, e: string) => `expires=${Number(e) + 60}`));
  expect(changed.status()).toBe(403);
  expect(changed.headers()["cache-control"]).toContain("no-store");
  expect(await changed.json()).toMatchObject({ reason: "invalid", message: expect.stringContaining("Der Download-Link ist ungültig") });

  const genuine = await page.request.get(href);
  expect(genuine.status()).toBe(200);
  expect(genuine.headers()["content-disposition"]).toMatch(/^attachment; filename="RE-\d{4}-\d{4}\.pdf"$/);
  expect(genuine.headers()["cache-control"]).toContain("no-store");

  const id = /\/(\d+)\.pdf/.exec(href)![1];
  const answers = await page.evaluate(async (invoiceId) => {
    const status = async (path: string) => (await fetch(path, { credentials: "same-origin" })).status;
    return { status: await status("/api/manage/status"), invoices: await status("/api/manage/invoices"), pdf: await status(`/api/manage/invoices/${invoiceId}/pdf`) };
  }, id);
  expect(answers).toEqual({ status: 200, invoices: 403, pdf: 403 });
});
