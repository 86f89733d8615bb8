import { writeFileSync } from "node:fs";
import { expect, test, type APIRequestContext, type Page } from "./fixtures";
import { login } from "./helpers";
import { addDnsRecords, DNS_RECORDS_FILE, E2E_PORT } from "./stack";

const agentUrl = `http://127.0.0.1:${E2E_PORT + 12}`;

async function setAgentFault(request: APIRequestContext, fault: "fail" | "timeout" | null) {
  const res = await request.post(`${agentUrl}/_stand-in/fault`, { data: { fault } });
  expect(res.ok()).toBeTruthy();
}

async function appliedOnAgent(request: APIRequestContext) {
  const res = await request.get(`${agentUrl}/_stand-in/applied`);
  const { applied } = (await res.json()) as { applied: { instance: string; portal_domain: string | null; meshcentral_domain: string | null }[] };
  return applied.filter((a) => a.instance === "acme").at(-1);
}

function card(page: Page, kind: "portal" | "meshcentral") {
  return page.getByTestId(`domain-card-${kind}`);
}

test.afterEach(async ({ request }) => {
  await setAgentFault(request, null);
});

test("portal domain wizard: enter, create the DNS record, re-check, save and apply, then remove", async ({ page, request }) => {
  writeFileSync(DNS_RECORDS_FILE, "[]");
  await login(page, "admin@firma.de");
  await page.getByRole("link", { name: "Domains", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Domains", level: 1 })).toBeVisible();
  const portal = card(page, "portal");
  await expect(portal.getByTestId("custom-domain-portal")).toHaveText("nicht eingerichtet");
  await expect(portal.getByTestId("domain-status-portal")).toHaveText("Standard-Domain aktiv");

  await portal.getByRole("button", { name: "Eigene Domain einrichten" }).click();
  const wizard = page.getByTestId("wizard-portal");
  await wizard.getByLabel("Ihre Domain für Portal").fill("Portal.Neu-Acme.de");
  await wizard.getByRole("button", { name: "Weiter" }).click();

  // Step 2: exactly which record to create, with copy buttons; the record does not exist yet.
  await expect(wizard.getByTestId("record-host")).toHaveText("portal.neu-acme.de");
  await expect(wizard.getByTestId("record-type")).toHaveText("CNAME");
  await expect(wizard.getByTestId("record-target")).toHaveText("acme.portal.myit.center");
  await expect(wizard.getByRole("button", { name: "Ziel kopieren" })).toBeVisible();
  await expect(wizard.getByTestId("cname-diagnosis")).toContainText("Kein DNS-Eintrag gefunden");
  await expect(wizard.getByRole("button", { name: "Speichern und anwenden" })).toHaveCount(0);

  // The customer creates the record at the DNS provider and checks again.
  addDnsRecords([{ name: "portal.neu-acme.de", type: "CNAME", value: "acme.portal.myit.center" }]);
  await wizard.getByRole("button", { name: "Erneut prüfen" }).click();
  await expect(wizard.getByTestId("cname-diagnosis")).toContainText("CNAME-Eintrag ist korrekt");

  await wizard.getByRole("button", { name: "Speichern und anwenden" }).click();
  const done = wizard.getByTestId("wizard-result");
  await expect(done).toContainText("Fertig!");
  await expect(done).toContainText("Domain gespeichert und auf Server angewendet");
  await expect(done.getByRole("link", { name: "https://portal.neu-acme.de" })).toBeVisible();
  expect(await appliedOnAgent(request)).toMatchObject({ portal_domain: "portal.neu-acme.de" });

  await wizard.getByRole("button", { name: "Schließen" }).last().click();
  await expect(portal.getByTestId("domain-status-portal")).toHaveText("Aktiv");
  await expect(portal.getByTestId("active-url-portal")).toHaveText("https://portal.neu-acme.de");

  // The overview and the activity log follow.
  await page.getByRole("link", { name: "Übersicht" }).click();
  await expect(page.getByRole("link", { name: "portal.neu-acme.de" })).toBeVisible();
  await page.getByRole("link", { name: "Aktivität" }).click();
  await expect(page.getByText("Eigene Portal-Domain portal.neu-acme.de gespeichert und auf dem Server angewendet")).toBeVisible();

  // Removing asks for confirmation; cancelling keeps the domain.
  await page.getByRole("link", { name: "Domains", exact: true }).click();
  await portal.getByRole("button", { name: "Domain entfernen" }).click();
  const dialog = page.getByRole("dialog", { name: "Eigene Domain für Portal entfernen?" });
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "Abbrechen" }).click();
  await expect(portal.getByTestId("custom-domain-portal")).toHaveText("portal.neu-acme.de");
  await portal.getByRole("button", { name: "Domain entfernen" }).click();
  await dialog.getByRole("button", { name: "Domain entfernen" }).click();
  await expect(page.getByText(/Domain entfernt und auf Server angewendet/)).toBeVisible();
  await expect(portal.getByTestId("custom-domain-portal")).toHaveText("nicht eingerichtet");
  await expect(portal.getByTestId("active-url-portal")).toHaveText("https://acme.portal.myit.center");
  expect(await appliedOnAgent(request)).toMatchObject({ portal_domain: null });
});

test("a failing check shows its diagnosis (wrong target, A record, invalid name) on a phone", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await login(page, "admin@firma.de");
  await page.goto("/domains");
  const mesh = card(page, "meshcentral");
  await mesh.getByRole("button", { name: "Eigene Domain einrichten" }).click();
  const wizard = page.getByTestId("wizard-meshcentral");
  const input = wizard.getByLabel("Ihre Domain für Fernwartung (MeshCentral)");

  await input.fill("https://remote.acme.de/login");
  await wizard.getByRole("button", { name: "Weiter" }).click();
  await expect(wizard.getByText("Bitte nur den Hostnamen angeben, ohne https:// oder Pfad.")).toBeVisible();

  await input.fill("wrong.acme.de");
  await wizard.getByRole("button", { name: "Weiter" }).click();
  const diagnosis = wizard.getByTestId("cname-diagnosis");
  await expect(diagnosis).toContainText("Der CNAME-Eintrag zeigt auf ein falsches Ziel");
  await expect(diagnosis.getByTestId("cname-found")).toHaveText("elsewhere.example.net");
  await expect(diagnosis.getByTestId("cname-expected")).toHaveText("CNAME auf acme.remote.myit.center");
  await expect(wizard.getByRole("button", { name: "Speichern und anwenden" })).toHaveCount(0);

  await wizard.getByRole("button", { name: "Andere Domain eingeben" }).click();
  await input.fill("a-record.acme.de");
  await wizard.getByRole("button", { name: "Weiter" }).click();
  await expect(diagnosis).toContainText("A-Eintrag statt CNAME-Eintrag");
  await expect(diagnosis).toContainText("zwar die unseres Servers");
  await expect(diagnosis.getByTestId("cname-found")).toHaveText("49.12.34.56");
  await expect(mesh.getByTestId("custom-domain-meshcentral")).toHaveText("nicht eingerichtet");
});

test("when applying fails the domain stays saved and can be applied again", async ({ page, request }) => {
  await login(page, "admin@firma.de");
  await page.goto("/domains");
  await setAgentFault(request, "fail");
  const mesh = card(page, "meshcentral");
  await mesh.getByRole("button", { name: "Eigene Domain einrichten" }).click();
  const wizard = page.getByTestId("wizard-meshcentral");
  await wizard.getByLabel("Ihre Domain für Fernwartung (MeshCentral)").fill("remote.acme.de");
  await wizard.getByRole("button", { name: "Weiter" }).click();
  await expect(wizard.getByTestId("cname-diagnosis")).toContainText("CNAME-Eintrag ist korrekt");
  await wizard.getByRole("button", { name: "Speichern und anwenden" }).click();

  const result = wizard.getByTestId("wizard-result");
  await expect(result).toContainText("Gespeichert, aber noch nicht angewendet");
  await expect(result).toContainText("Der Instanz-Server hat die Konfiguration abgelehnt");
  await expect(mesh.getByTestId("custom-domain-meshcentral")).toHaveText("remote.acme.de");
  await expect(mesh.getByTestId("domain-status-meshcentral")).toHaveText("Gespeichert, noch nicht angewendet");

  // Still saved after a reload.
  await page.reload();
  await expect(mesh.getByTestId("custom-domain-meshcentral")).toHaveText("remote.acme.de");
  await expect(mesh.getByText("Nicht auf dem Server angewendet")).toBeVisible();

  await setAgentFault(request, null);
  await mesh.getByRole("button", { name: "Erneut anwenden" }).click();
  await expect(page.getByText("Domain-Konfiguration auf Server angewendet")).toBeVisible();
  await expect(mesh.getByTestId("domain-status-meshcentral")).toHaveText("Aktiv");
  await expect(mesh.getByTestId("active-url-meshcentral")).toHaveText("https://remote.acme.de");
  expect(await appliedOnAgent(request)).toMatchObject({ meshcentral_domain: "remote.acme.de" });
});
