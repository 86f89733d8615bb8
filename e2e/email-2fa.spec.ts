import { expect, test } from "./fixtures";
import { DEMO_PASSWORD, latestMail, login, logout } from "./helpers";

/**
 * E-mail 2FA is switched on only with a mailed test code (issue 14): code
 * field after "E-Mail-Bestätigung einschalten", resend, wrong code, resume
 * after reload, cancel; the login then asks for the 8-digit code as before,
 * and staff see the user's methods and can reset them. The account is MSP
 * support, which no other spec changes; it ends without 2FA.
 */
const EMAIL = "support@myit.center";
const STAFF = "msp-admin@myit.center";

function sixDigits(text: string) {
  const match = /\b(\d{6})\b/.exec(text);
  if (!match) throw new Error("Kein 6-stelliger Code in der Mail");
  return match[1];
}

test("switch e-mail 2FA on with the mailed test code, log in with it, staff see and reset the methods", async ({ page, request }) => {
  await login(page, EMAIL);
  await page.goto("/konto#zwei-faktor");
  const card = page.locator("#zwei-faktor");
  await expect(card.getByText("Aus", { exact: true })).toBeVisible();
  await card.getByRole("button", { name: "E-Mail-Bestätigung einschalten" }).click();
  await card.getByLabel("Passwort zur Bestätigung").fill(DEMO_PASSWORD);
  await card.getByRole("button", { name: "Code senden" }).click();

  await expect(card.getByText(`Wir haben einen Code an ${EMAIL} gesendet`)).toBeVisible();
  await expect(card.getByText("Wartet auf Bestätigung")).toBeVisible();
  const first = await latestMail(request, EMAIL);
  expect(first.subject).toMatch(/^Ihr Bestätigungscode: \d{6}/);
  const firstCode = sixDigits(first.text);

  // Resend: a new mail, only the newest code counts.
  await card.getByRole("button", { name: "Code erneut senden" }).click();
  await expect(page.getByText(`Neuer Code an ${EMAIL} gesendet`)).toBeVisible();
  await expect.poll(async () => (await latestMail(request, EMAIL)).createdAt).not.toBe(first.createdAt);
  const code = sixDigits((await latestMail(request, EMAIL)).text);
  const wrong = code === firstCode ? (code === "000000" ? "111111" : "000000") : firstCode;
  await card.getByLabel("Code aus der E-Mail").fill(wrong);
  await card.getByRole("button", { name: "Code bestätigen" }).click();
  await expect(card.getByText(/Der Code ist falsch/)).toBeVisible();
  await expect(card.getByText("Wartet auf Bestätigung")).toBeVisible();

  // The open confirmation survives a reload.
  await page.reload();
  await expect(card.getByText(`Wir haben einen Code an ${EMAIL} gesendet`)).toBeVisible();
  await card.getByLabel("Code aus der E-Mail").fill(code);
  await card.getByRole("button", { name: "Code bestätigen" }).click();
  await expect(page.getByText("Die Zwei-Faktor-Anmeldung per E-Mail ist aktiv.", { exact: false }).first()).toBeVisible();
  await expect(card.getByText("Aktiv", { exact: true })).toBeVisible();
  await expect(card.getByLabel("Code aus der E-Mail")).toHaveCount(0);
  await logout(page);

  // The login asks for the 8-digit code by mail, as before.
  await page.getByLabel("E-Mail-Adresse").fill(EMAIL);
  await page.getByLabel("Passwort").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Anmelden", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Anmeldecode eingeben" })).toBeVisible();
  const loginMail = await latestMail(request, EMAIL);
  expect(loginMail.subject).toMatch(/Anmeldecode/);
  await page.getByLabel("Code aus der E-Mail").fill(/\b(\d{8})\b/.exec(loginMail.text)![1]);
  await page.getByRole("button", { name: "Code bestätigen" }).click();
  await expect(page.getByRole("button", { name: "Abmelden" })).toBeVisible();
  await logout(page);

  // Staff see the method and reset it.
  await login(page, STAFF);
  await page.goto("/verwaltung/benutzer");
  const row = page.getByTestId("user-row").filter({ hasText: EMAIL });
  await expect(row.getByTestId("user-sign-in-methods")).toHaveText("Zweiter Faktor: E-Mail");
  await row.getByRole("button", { name: "2FA zurücksetzen" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "2FA zurücksetzen" }).click();
  await expect(row.getByTestId("user-sign-in-methods")).toHaveText("Zweiter Faktor: keiner (nur Passwort)");
});

test("cancel: the code field goes away and e-mail 2FA stays off", async ({ page, request }) => {
  await login(page, EMAIL);
  await page.goto("/konto#zwei-faktor");
  const card = page.locator("#zwei-faktor");
  await card.getByRole("button", { name: "E-Mail-Bestätigung einschalten" }).click();
  await card.getByLabel("Passwort zur Bestätigung").fill(DEMO_PASSWORD);
  await card.getByRole("button", { name: "Code senden" }).click();
  await expect(card.getByLabel("Code aus der E-Mail")).toBeVisible();
  const code = sixDigits((await latestMail(request, EMAIL)).text);

  await card.getByRole("button", { name: "Abbrechen" }).click();
  await expect(page.getByText("Abgebrochen. Die Zwei-Faktor-Anmeldung per E-Mail bleibt aus.")).toBeVisible();
  await expect(card.getByText("Aus", { exact: true })).toBeVisible();
  await expect(card.getByLabel("Code aus der E-Mail")).toHaveCount(0);
  await page.reload();
  await expect(card.getByRole("button", { name: "E-Mail-Bestätigung einschalten" })).toBeVisible();

  // The cancelled code no longer switches anything on (asked from the page, with its session and origin).
  const late = await page.evaluate(async (c) => {
    const res = await fetch("/api/v1/auth/2fa/email/confirmation", { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify({ code: c }) });
    return res.status;
  }, code);
  expect(late).toBe(409);
  await page.reload();
  await expect(card.getByText("Aus", { exact: true })).toBeVisible();
});
