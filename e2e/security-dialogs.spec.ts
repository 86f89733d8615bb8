import * as OTPAuth from "otpauth";
import { expect, test, type Page } from "./fixtures";
import { DEMO_PASSWORD, login, logout } from "./helpers";

/**
 * Issue 24, item 7 in the browser: after a sign-in with a recovery code the
 * account page says how many are left and offers the app again, a used code
 * says so; a session ended on another device says that on the login page
 * (not "abgelaufen"). Screenshots at 1440 and 390 px.
 */
const SHOTS = "test-results/screenshots";
const SIZES = [
  { width: 1440, height: 900 },
  { width: 390, height: 844 },
] as const;
const FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0";

function totpCode(secret: string, offsetSeconds = 0) {
  const totp = new OTPAuth.TOTP({ algorithm: "SHA1", digits: 6, period: 30, secret: OTPAuth.Secret.fromBase32(secret) });
  return totp.generate({ timestamp: Date.now() + offsetSeconds * 1000 });
}

async function passwordStep(page: Page, email: string) {
  await page.goto("/login");
  await page.getByLabel("E-Mail-Adresse").fill(email);
  await page.getByLabel("Passwort").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Anmelden", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Anmeldecode eingeben" })).toBeVisible();
}

async function withRecoveryCode(page: Page, code: string) {
  await page.getByRole("button", { name: "Wiederherstellungscode" }).click();
  await page.getByLabel("Wiederherstellungscode").fill(code);
  await page.getByRole("button", { name: "Code bestätigen" }).click();
}

async function shoot(page: Page, name: string) {
  for (const size of SIZES) {
    await page.setViewportSize(size);
    await page.screenshot({ path: `${SHOTS}/${name}-${size.width}.png`, fullPage: true });
  }
  await page.setViewportSize(SIZES[0]);
}

test("after a recovery code: how many are left, the app offered again; a used code says it was used", async ({ page }) => {
  const email = "it@bergmann-logistik.de";
  await login(page, email);
  await page.goto("/konto#authenticator-app");
  await page.getByRole("button", { name: "Authenticator-App einrichten" }).click();
  await page.getByLabel("Passwort zur Bestätigung").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Weiter zum QR-Code" }).click();
  const secret = (await page.getByTestId("totp-secret").textContent())!.trim();
  await page.getByLabel("Code aus der App").fill(totpCode(secret));
  await page.getByRole("button", { name: "App aktivieren" }).click();
  const list = page.getByRole("list", { name: "Wiederherstellungscodes" });
  await expect(list).toBeVisible();
  const codes = (await list.getByRole("listitem").allTextContents()).map((c) => c.trim());
  await page.getByRole("button", { name: "Ich habe die Codes gespeichert" }).click();
  await logout(page);

  await passwordStep(page, email);
  await withRecoveryCode(page, codes[0]);
  await expect(page).toHaveURL(/\/konto\?wiederherstellungscode=1$/);
  await expect(page.getByText("Angemeldet mit einem Wiederherstellungscode")).toBeVisible();
  await expect(page.getByTestId("recovery-login-notice")).toContainText("Sie haben noch 9 Wiederherstellungscodes.");
  await expect(page.getByRole("link", { name: "Authenticator-App neu einrichten" })).toBeVisible();
  await shoot(page, "wiederherstellungscode-hinweis");
  await logout(page);

  // The same code again: "bereits verwendet", and the code step stays open for another one.
  await passwordStep(page, email);
  await withRecoveryCode(page, codes[0]);
  await expect(page.getByText(/Dieser Wiederherstellungscode wurde bereits verwendet/)).toBeVisible();
  await expect(page.getByText(/Der Code ist falsch/)).toHaveCount(0);
  await shoot(page, "wiederherstellungscode-verwendet");
  await page.getByLabel("Wiederherstellungscode").fill(codes[1]);
  await page.getByRole("button", { name: "Code bestätigen" }).click();
  await expect(page.getByTestId("recovery-login-notice")).toContainText("Sie haben noch 8 Wiederherstellungscodes.");

  // Leave the account as the other specs expect it: no app.
  await page.goto("/konto#authenticator-app");
  await page.getByRole("button", { name: "Authenticator-App deaktivieren" }).click();
  await page.getByLabel("Passwort zur Bestätigung").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "App deaktivieren" }).click();
  await expect(page.getByRole("button", { name: "Authenticator-App einrichten" })).toBeVisible();
  await logout(page);
});

test("a session ended on another device says so on the login page, not 'abgelaufen'", async ({ page, browser }) => {
  const email = "admin@firma.de";
  // The "other device": its own browser context with another browser's user agent.
  const other = await browser.newContext({ userAgent: FIREFOX, locale: "de-DE", timezoneId: "Europe/Berlin" });
  const laptop = await other.newPage();
  await login(laptop, email);
  // The sign-in left its device cookie (lib/auth/device-cookies.ts): HttpOnly, SameSite=Lax, long-lived.
  const device = (await other.cookies()).find((c) => c.name.startsWith("mp_device_"));
  expect(device).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/" });
  expect(device!.expires * 1000 - Date.now()).toBeGreaterThan(150 * 86400_000);

  await login(page, email);
  await page.goto("/konto/sitzungen");
  const row = page.getByRole("listitem").filter({ hasText: "Firefox auf Windows" }).first();
  await expect(row).toBeVisible();
  await row.getByRole("button", { name: "Beenden" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Beenden" }).click();
  await expect(page.getByText(/„Firefox auf Windows“ wurde beendet/)).toBeVisible();

  await laptop.goto("/konto");
  await expect(laptop).toHaveURL(/\/login/);
  await expect(laptop.getByText("Diese Sitzung wurde auf einem anderen Gerät beendet. Bitte melden Sie sich erneut an.")).toBeVisible();
  await expect(laptop.getByText("Ihre Sitzung ist abgelaufen")).toHaveCount(0);
  await shoot(laptop, "sitzung-anderswo-beendet");
  // Signing in again works and the notice is gone with the new session.
  await laptop.getByLabel("E-Mail-Adresse").fill(email);
  await laptop.getByLabel("Passwort").fill(DEMO_PASSWORD);
  await laptop.getByRole("button", { name: "Anmelden", exact: true }).click();
  await expect(laptop.getByRole("button", { name: "Abmelden" })).toBeVisible();
  await other.close();
  await page.goto("/");
  await logout(page);
});
