import { expect, test, type Page } from "./fixtures";
import * as OTPAuth from "otpauth";
import { DEMO_PASSWORD, login, logout } from "./helpers";

/** Issue 14: authenticator app, recovery codes, passkeys (Chromium's virtual authenticator), deep-link return. */

function totpCode(secret: string, offsetSeconds = 0) {
  const totp = new OTPAuth.TOTP({ algorithm: "SHA1", digits: 6, period: 30, secret: OTPAuth.Secret.fromBase32(secret) });
  return totp.generate({ timestamp: Date.now() + offsetSeconds * 1000 });
}

async function passwordStep(page: Page, email: string) {
  await page.getByLabel("E-Mail-Adresse").fill(email);
  await page.getByLabel("Passwort").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Anmelden", exact: true }).click();
}

test("a signed-out deep link asks to sign in (not 'expired') and returns to the page; foreign targets go home", async ({ page }) => {
  await page.goto("/konto/sitzungen");
  await expect(page).toHaveURL(/\/login\?next=%2Fkonto%2Fsitzungen$/);
  await expect(page.getByText("Bitte melden Sie sich an")).toBeVisible();
  await expect(page.getByText("Ihre Sitzung ist abgelaufen")).toHaveCount(0);
  await passwordStep(page, "admin@firma.de");
  await expect(page).toHaveURL(/\/konto\/sitzungen$/);
  await expect(page.getByRole("heading", { name: "Aktive Sitzungen" })).toBeVisible();
  // Sessions are readable: browser and system, each can be ended on its own.
  await expect(page.getByText(/Chrome auf Linux/).first()).toBeVisible();
  await expect(page.getByRole("button", { name: "Beenden", exact: true }).first()).toBeVisible();
  await page.goto("/");
  await logout(page);

  await page.goto("/login?next=https://evil.example/phish");
  await passwordStep(page, "admin@firma.de");
  await expect(page.getByRole("button", { name: "Abmelden" })).toBeVisible();
  expect(new URL(page.url()).pathname).toBe("/");
  expect(page.url()).not.toContain("evil.example");
  await logout(page);
});

test("authenticator app: set up with a generated code, sign in with the app, then with a recovery code", async ({ page }) => {
  const email = "it@bergmann-logistik.de";
  await login(page, email);
  await page.goto("/konto#authenticator-app");
  await page.getByRole("button", { name: "Authenticator-App einrichten" }).click();
  await page.getByLabel("Passwort zur Bestätigung").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Weiter zum QR-Code" }).click();
  await expect(page.getByAltText("QR-Code für die Authenticator-App")).toBeVisible();
  const secret = (await page.getByTestId("totp-secret").textContent())!.trim();
  await page.getByLabel("Code aus der App").fill(totpCode(secret) === "000000" ? "111111" : "000000");
  await page.getByRole("button", { name: "App aktivieren" }).click();
  await expect(page.getByText(/Der Code ist falsch/)).toBeVisible();
  await page.getByLabel("Code aus der App").fill(totpCode(secret));
  await page.getByRole("button", { name: "App aktivieren" }).click();
  const list = page.getByRole("list", { name: "Wiederherstellungscodes" });
  await expect(list).toBeVisible();
  const codes = (await list.getByRole("listitem").allTextContents()).map((c) => c.trim());
  expect(codes).toHaveLength(10);
  await page.getByRole("button", { name: "Ich habe die Codes gespeichert" }).click();
  await expect(page.getByText("App aktiv", { exact: true })).toBeVisible();
  await logout(page);

  await passwordStep(page, email);
  await expect(page.getByRole("heading", { name: "Anmeldecode eingeben" })).toBeVisible();
  // The next time step: the set-up already used the current one (replay refused).
  await page.getByLabel("Code aus der App").fill(totpCode(secret, 30));
  await page.getByRole("button", { name: "Code bestätigen" }).click();
  await expect(page.getByRole("button", { name: "Abmelden" })).toBeVisible();
  await logout(page);

  await passwordStep(page, email);
  await expect(page.getByRole("heading", { name: "Anmeldecode eingeben" })).toBeVisible();
  await page.getByRole("button", { name: "Wiederherstellungscode" }).click();
  await page.getByLabel("Wiederherstellungscode").fill(codes[0]);
  await page.getByRole("button", { name: "Code bestätigen" }).click();
  await expect(page.getByRole("button", { name: "Abmelden" })).toBeVisible();
  await logout(page);

  // A used recovery code is refused.
  await passwordStep(page, email);
  await page.getByRole("button", { name: "Wiederherstellungscode" }).click();
  await page.getByLabel("Wiederherstellungscode").fill(codes[0]);
  await page.getByRole("button", { name: "Code bestätigen" }).click();
  await expect(page.getByText(/Dieser Wiederherstellungscode wurde bereits verwendet/)).toBeVisible();

  // A fresh code signs in; switching the app off again needs the password (and leaves the account as other specs expect it).
  await page.getByLabel("Wiederherstellungscode").fill(codes[1]);
  await page.getByRole("button", { name: "Code bestätigen" }).click();
  await expect(page.getByRole("button", { name: "Abmelden" })).toBeVisible();
  await page.goto("/konto#authenticator-app");
  await page.getByRole("button", { name: "Authenticator-App deaktivieren" }).click();
  await page.getByLabel("Passwort zur Bestätigung").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "App deaktivieren" }).click();
  await expect(page.getByText("App aktiv", { exact: true })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Authenticator-App einrichten" })).toBeVisible();
});

test("passkey: add one with Chromium's virtual authenticator, then sign in with it alone", async ({ page }) => {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true, isUserVerified: true },
  });

  await login(page, "admin@firma.de");
  await page.goto("/konto#passkeys");
  await page.getByLabel("Name des Passkeys").fill("Virtueller Schlüssel");
  await page.getByRole("button", { name: "Passkey hinzufügen" }).click();
  // The first passkey of an account without app comes with recovery codes.
  await expect(page.getByRole("list", { name: "Wiederherstellungscodes" }).first()).toBeVisible();
  await page.getByRole("button", { name: "Ich habe die Codes gespeichert" }).first().click();
  await expect(page.getByRole("list", { name: "Passkeys" }).getByText("Virtueller Schlüssel")).toBeVisible();
  await logout(page);

  await page.getByRole("button", { name: "Mit Passkey anmelden" }).click();
  await expect(page.getByRole("button", { name: "Abmelden" })).toBeVisible();
});
