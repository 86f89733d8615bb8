import { readFileSync } from "node:fs";
import { expect, test } from "./fixtures";
import { SCREENSHOTS, WIDTHS } from "./stack";
import { logout } from "./helpers";
import { login } from "./ui-helpers";

/**
 * SEPA direct debit (issue 22, item 1): the customer admin of bergmann grants a mandate on the
 * account page (a wrong IBAN first: German message under the field), staff see it on the instance
 * page, issue an invoice (which announces the debit) and download the pain.008 for the collection
 * date from the payments page. Screenshots at both widths. The mandate is revoked at the end, so
 * later specs see bergmann paying by transfer as before.
 */
const origin = (baseURL: string | undefined) => ({ origin: baseURL ?? "http://localhost:3100" });

test("a customer admin grants a SEPA mandate, staff see it and download the pain.008", async ({ page, baseURL }) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: WIDTHS[0].width, height: WIDTHS[0].height });
  await login(page, "it@bergmann-logistik.de");
  await page.goto("/konto#lastschrift");
  const card = page.locator("#lastschrift");
  await card.getByLabel("Kontoinhaber").fill("Bergmann Logistik GmbH");
  await card.getByLabel("IBAN").fill("DE88 3704 0044 0532 0130 00");
  await card.getByLabel("Verfahren").selectOption("B2B");
  await card.getByRole("checkbox").check();
  await card.getByRole("button", { name: "Mandat erteilen" }).click();
  await expect(card.getByText("Die IBAN ist ungültig (Prüfziffer oder Länge stimmt nicht).")).toBeVisible();
  for (const size of WIDTHS) {
    await page.setViewportSize({ width: size.width, height: size.height });
    await page.screenshot({ path: `${SCREENSHOTS}/sepa-mandat-fehler-${size.width}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: WIDTHS[0].width, height: WIDTHS[0].height });
  await card.getByLabel("IBAN").fill("DE89 3704 0044 0532 0130 00");
  await card.getByRole("button", { name: "Mandat erteilen" }).click();
  await expect(page.getByText("Lastschriftmandat erteilt").first()).toBeVisible();
  const mandate = card.getByTestId("sepa-mandate");
  await expect(mandate.getByText("Aktiv", { exact: true })).toBeVisible();
  await expect(mandate.getByText("SEPA-Firmenlastschrift")).toBeVisible();
  const reference = (await mandate.locator(".font-mono").first().textContent())!.trim();
  expect(reference).toMatch(/^MP\d{6}-[A-Z0-9]+$/);
  for (const size of WIDTHS) {
    await page.setViewportSize({ width: size.width, height: size.height });
    await page.screenshot({ path: `${SCREENSHOTS}/sepa-mandat-erteilt-${size.width}.png`, fullPage: true });
  }
  // Waits for the sign-out's own navigation to /login: a goto started before it ends is aborted.
  await logout(page);

  // Staff: an invoice for bergmann announces the debit; the instance page lists the mandate.
  await page.setViewportSize({ width: WIDTHS[0].width, height: WIDTHS[0].height });
  await login(page, "msp-admin@myit.center");
  const list = await page.request.get("/api/manage/admin/instances?q=bergmann");
  const instances = ((await list.json()) as { instances?: { id: number; name: string }[]; data?: { id: number; name: string }[] }).instances ?? [];
  const bergmann = instances.find((i) => i.name === "bergmann")!;
  expect(bergmann).toBeDefined();
  const draft = await page.request.post("/api/manage/admin/invoices", {
    headers: origin(baseURL),
    data: {
      instance_id: bergmann.id,
      title: "Einrichtung Lastschrift-Test",
      service_period_start: "2026-10-01",
      service_period_end: "2026-10-31",
      recipient: { company_name: "Bergmann Logistik GmbH", address_lines: ["Hafenstraße 1", "20457 Hamburg"] },
      items: [{ description: "Einrichtung", quantity: 1, unit: "Stück", unit_price: "100,00", vat_rate: 19 }],
    },
  });
  expect(draft.status()).toBe(201);
  const draftId = ((await draft.json()) as { invoice: { id: number } }).invoice.id;
  const issued = await page.request.post(`/api/manage/admin/invoices/${draftId}/issue`, { headers: origin(baseURL), data: {} });
  expect(issued.ok()).toBeTruthy();
  const invoiceNumber = ((await issued.json()) as { invoice: { invoice_number: string } }).invoice.invoice_number;

  await page.goto(`/verwaltung/instanzen/${bergmann.id}`);
  await expect(page.getByRole("heading", { name: "SEPA-Lastschriftmandate" })).toBeVisible();
  const staffCard = page.getByTestId("sepa-mandate").filter({ hasText: reference });
  await expect(staffCard).toBeVisible();
  await expect(staffCard.getByText("Aktiv", { exact: true })).toBeVisible();
  for (const size of WIDTHS) {
    await page.setViewportSize({ width: size.width, height: size.height });
    await staffCard.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SCREENSHOTS}/sepa-mandat-verwaltung-${size.width}.png` });
  }

  // The pain.008 for the collection date (invoice date + 5 days).
  await page.setViewportSize({ width: WIDTHS[0].width, height: WIDTHS[0].height });
  await page.goto("/verwaltung/zahlungen");
  await expect(page.getByText(new RegExp(`Fällig bis zu diesem Tag: 1 Lastschrift\\(en\\).*${invoiceNumber}`))).toBeVisible();
  await page.getByRole("button", { name: "Lastschriftdatei erstellen" }).click();
  await expect(page.getByText("Lastschriftdatei erstellt").first()).toBeVisible();
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("sepa-file").first().getByRole("link").click()]);
  const xml = readFileSync((await download.path())!, "utf8");
  expect(xml).toContain("urn:iso:std:iso:20022:tech:xsd:pain.008.001.08");
  expect(xml).toContain(`<EndToEndId>${invoiceNumber}</EndToEndId>`);
  expect(xml).toContain("<LclInstrm>\n          <Cd>B2B</Cd>");
  expect(xml).toContain("<SeqTp>FRST</SeqTp>");
  for (const size of WIDTHS) {
    await page.setViewportSize({ width: size.width, height: size.height });
    await page.screenshot({ path: `${SCREENSHOTS}/sepa-lastschriftdatei-${size.width}.png`, fullPage: true });
  }

  // Clean up for later specs: the mandate ends (logged like a customer's revocation).
  const mandates = (await (await page.request.get(`/api/manage/admin/instances/${bergmann.id}/sepa-mandates`)).json()) as { mandates: { id: number }[] };
  const revoked = await page.request.post(`/api/manage/admin/sepa/mandates/${mandates.mandates[0]!.id}/revoke`, { headers: origin(baseURL), data: { confirm: true } });
  expect(revoked.ok()).toBeTruthy();
});
