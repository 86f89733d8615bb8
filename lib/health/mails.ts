/** The two health alert mails (German, plain text + simple HTML). */
import { config } from "@/lib/config";
import type { InstanceContext } from "@/lib/instances/present";
import type { Mail } from "@/lib/mail";
import { escapeHtml } from "@/lib/mail/templates";
import type { ProbeResult } from "./result";

const TARGETS = { portal: "Portal", meshcentral: "MeshCentral" } as const;

function when(date: Date) {
  return date.toLocaleString("de-DE", { timeZone: "Europe/Berlin", dateStyle: "medium", timeStyle: "short" }) + " Uhr";
}

function minutesBetween(from: Date, to: Date) {
  return Math.max(1, Math.round((to.getTime() - from.getTime()) / 60_000));
}

function toHtml(lines: string[]) {
  return lines.map((l) => (l === "" ? "" : `<p>${escapeHtml(l)}</p>`)).filter(Boolean).join("\n");
}

export function healthDownMail(input: { to: string; name: string; ctx: InstanceContext; since: Date; failed: ProbeResult[] }): Mail {
  const { instance } = input.ctx;
  const lines = [
    `Hallo ${input.name},`,
    "",
    `die Instanz ${instance.companyName} (${instance.name}) ist seit ${when(input.since)} nicht vollständig erreichbar:`,
    ...input.failed.map((f) => `– ${TARGETS[f.target]}: ${f.url} – ${f.error ?? "Fehler"}`),
    "",
    "Sobald die Instanz wieder antwortet, erhalten Sie eine weitere Nachricht. Bis dahin senden wir keine weiteren Mails zu dieser Störung.",
    "",
    "Viele Grüße",
    `${config().MSP_NAME} – Manage-Portal`,
  ];
  return { to: input.to, subject: `Störung: ${instance.companyName} (${instance.name}) nicht erreichbar`, text: lines.join("\n"), html: toHtml(lines) };
}

export function healthRecoveredMail(input: { to: string; name: string; ctx: InstanceContext; since: Date; until: Date }): Mail {
  const { instance } = input.ctx;
  const lines = [
    `Hallo ${input.name},`,
    "",
    `die Instanz ${instance.companyName} (${instance.name}) ist seit ${when(input.until)} wieder erreichbar.`,
    `Die Störung begann am ${when(input.since)} und dauerte etwa ${minutesBetween(input.since, input.until)} Minuten.`,
    "",
    "Viele Grüße",
    `${config().MSP_NAME} – Manage-Portal`,
  ];
  return { to: input.to, subject: `Behoben: ${instance.companyName} (${instance.name}) wieder erreichbar`, text: lines.join("\n"), html: toHtml(lines) };
}
