/**
 * Every action the activity log knows, with its level and German label. The
 * label is what customers see when an entry has no description of its own
 * and what filters show; the code itself is never shown to customers.
 * One code per action, whichever door it came through.
 */
export type ActivityLevel = "info" | "warning" | "error";

type ActionSpec = { level: ActivityLevel; label: string };

export const ACTIVITY_ACTIONS = {
  // sign-in and account
  "manage.login": { level: "info", label: "Anmeldung" },
  "manage.login_failed": { level: "warning", label: "Fehlgeschlagene Anmeldung" },
  "manage.logout": { level: "info", label: "Abmeldung" },
  "manage.password_changed": { level: "info", label: "Passwort geändert" },
  "manage.password_reset_requested": { level: "info", label: "Passwort-Zurücksetzung angefordert" },
  "manage.password_reset": { level: "info", label: "Passwort zurückgesetzt" },
  "manage.invitation_accepted": { level: "info", label: "Einladung angenommen" },
  "auth.logout_all": { level: "info", label: "Überall abgemeldet" },
  "auth.2fa_enabled": { level: "info", label: "Zwei-Faktor-Anmeldung eingeschaltet" },
  "auth.2fa_disabled": { level: "warning", label: "Zwei-Faktor-Anmeldung ausgeschaltet" },
  "auth.2fa_failed": { level: "warning", label: "Falscher Bestätigungscode" },
  "auth.2fa_locked": { level: "warning", label: "Zwei-Faktor-Anmeldung gesperrt" },
  "auth.2fa_email_code_sent": { level: "info", label: "Bestätigungscode für E-Mail-2FA gesendet" },
  "auth.2fa_email_setup_cancelled": { level: "info", label: "Einschalten der E-Mail-2FA abgebrochen" },
  "auth.passkey_added": { level: "info", label: "Passkey hinzugefügt" },
  "auth.passkey_removed": { level: "warning", label: "Passkey entfernt" },
  "auth.recovery_codes_generated": { level: "info", label: "Wiederherstellungscodes erzeugt" },
  "auth.recovery_code_used": { level: "warning", label: "Wiederherstellungscode verwendet" },
  "auth.session_ended": { level: "info", label: "Sitzung beendet" },
  "auth.second_factor_rule": { level: "info", label: "Vorschrift Authenticator-App oder Passkey geändert" },
  "api.login": { level: "info", label: "Anmeldung über die API" },
  "api.login_failed": { level: "warning", label: "Fehlgeschlagene Anmeldung über die API" },
  "api.logout": { level: "info", label: "Abmeldung über die API" },
  "api.refresh_token_reuse": { level: "warning", label: "Wiederverwendetes Refresh-Token" },
  "api.key_created": { level: "info", label: "API-Schlüssel erstellt" },
  "api.key_revoked": { level: "info", label: "API-Schlüssel widerrufen" },
  // webhooks (lib/webhooks)
  "webhook.created": { level: "info", label: "Webhook-Endpunkt angelegt" },
  "webhook.updated": { level: "info", label: "Webhook-Endpunkt geändert" },
  "webhook.deleted": { level: "info", label: "Webhook-Endpunkt gelöscht" },
  "webhook.secret_rotated": { level: "info", label: "Webhook-Secret erneuert" },
  "webhook.disabled": { level: "warning", label: "Webhook-Endpunkt automatisch deaktiviert" },
  // instances (staff, API v1, jobs)
  "instance.created": { level: "info", label: "Instanz angelegt" },
  "instance.updated": { level: "info", label: "Instanz geändert" },
  "instance.suspended": { level: "warning", label: "Instanz gesperrt" },
  "instance.reactivated": { level: "info", label: "Sperre aufgehoben" },
  "instance.health_alerts_changed": { level: "info", label: "Störungsmeldungen geändert" },
  "admin.impersonation_started": { level: "info", label: "Ansicht als Kunde gestartet" },
  "admin.impersonation_ended": { level: "info", label: "Ansicht als Kunde beendet" },
  "admin.tier_updated": { level: "info", label: "Tarif geändert" },
  // users (staff)
  "admin.user_invited": { level: "info", label: "Benutzer eingeladen" },
  "admin.user_invitation_resent": { level: "info", label: "Einladung erneut gesendet" },
  "admin.user_roles_changed": { level: "info", label: "Rollen geändert" },
  "admin.user_activated": { level: "info", label: "Benutzer aktiviert" },
  "admin.user_deactivated": { level: "warning", label: "Benutzer deaktiviert" },
  "admin.user_2fa_reset": { level: "warning", label: "Zwei-Faktor-Anmeldung zurückgesetzt" },
  // servers
  "server.linked": { level: "info", label: "Server verknüpft" },
  "server.unlinked": { level: "warning", label: "Server getrennt" },
  "server.reboot": { level: "info", label: "Server-Neustart" },
  "server.power_off": { level: "info", label: "Server herunterfahren" },
  "server.power_off_force": { level: "warning", label: "Server ausschalten (erzwungen)" },
  "server.power_on": { level: "info", label: "Server einschalten" },
  "server.refresh_status": { level: "info", label: "Server-Status abgefragt" },
  "server.rebuild": { level: "warning", label: "Server aus Backup/Snapshot wiederhergestellt" },
  "server.snapshot_created": { level: "info", label: "Snapshot erstellt" },
  "server.snapshot_deleted": { level: "info", label: "Snapshot gelöscht" },
  "server.backups_enabled": { level: "info", label: "Backups eingeschaltet" },
  "server.backups_disabled": { level: "warning", label: "Backups ausgeschaltet" },
  "server.health_down": { level: "error", label: "Instanz nicht erreichbar" },
  "server.health_recovered": { level: "info", label: "Instanz wieder erreichbar" },
  // domains
  "domain.portal.set": { level: "info", label: "Portal-Domain gesetzt" },
  "domain.portal.apply_failed": { level: "warning", label: "Portal-Domain nicht angewendet" },
  "domain.portal.removed": { level: "info", label: "Portal-Domain entfernt" },
  "domain.portal.remove_failed": { level: "warning", label: "Portal-Domain nicht entfernt" },
  "domain.meshcentral.set": { level: "info", label: "MeshCentral-Domain gesetzt" },
  "domain.meshcentral.apply_failed": { level: "warning", label: "MeshCentral-Domain nicht angewendet" },
  "domain.meshcentral.removed": { level: "info", label: "MeshCentral-Domain entfernt" },
  "domain.meshcentral.remove_failed": { level: "warning", label: "MeshCentral-Domain nicht entfernt" },
  "domain.applied": { level: "info", label: "Domain-Konfiguration angewendet" },
  "domain.apply_failed": { level: "warning", label: "Domain-Konfiguration nicht angewendet" },
  // invoices
  "invoice.draft_created": { level: "info", label: "Rechnungsentwurf angelegt" },
  "invoice.draft_updated": { level: "info", label: "Rechnungsentwurf geändert" },
  "invoice.draft_deleted": { level: "info", label: "Rechnungsentwurf gelöscht" },
  "invoice.issued": { level: "info", label: "Rechnung ausgestellt" },
  "invoice.payment_recorded": { level: "info", label: "Zahlung erfasst" },
  "invoice.payment_reversed": { level: "warning", label: "Zahlung zurückgebucht (Rückgabe)" },
  "invoice.cancelled": { level: "warning", label: "Rechnung storniert" },
  "invoice.mail_failed": { level: "error", label: "Rechnungsmail nicht zugestellt" },
  "admin.mail_resent": { level: "info", label: "Fehlgeschlagene Mail mit neuem Link oder Code ersetzt" },
  // bank statements (CAMT.053 import)
  "payment.bank_statement_imported": { level: "info", label: "Kontoauszug importiert" },
  "payment.bank_entry_assigned": { level: "info", label: "Bankbuchung zugeordnet" },
  "payment.bank_entry_unassigned": { level: "warning", label: "Zuordnung einer Bankbuchung aufgehoben" },
  // SEPA direct debit (lib/sepa, lib/payments/mandates.ts, collection.ts, sepa-returns.ts)
  "sepa.mandate_granted": { level: "info", label: "SEPA-Lastschriftmandat erteilt" },
  "sepa.mandate_revoked": { level: "warning", label: "SEPA-Lastschriftmandat widerrufen" },
  "sepa.mandate_flagged": { level: "warning", label: "SEPA-Lastschriftmandat gesperrt (zweite Rücklastschrift)" },
  "sepa.collection_file_created": { level: "info", label: "Lastschriftdatei (pain.008) erstellt" },
  "sepa.debit_returned": { level: "warning", label: "Lastschrift zurückgegeben (Rücklastschrift)" },
  // recurring billing (lib/billing)
  "billing.run_started": { level: "info", label: "Rechnungslauf gestartet" },
  "billing.run_finished": { level: "info", label: "Rechnungslauf abgeschlossen" },
  "billing.run_failed": { level: "error", label: "Rechnungslauf fehlgeschlagen" },
  "billing.invoice_created": { level: "info", label: "Rechnung aus Abrechnungsplan erstellt" },
  "billing.issue_failed": { level: "warning", label: "Rechnung aus Rechnungslauf nicht ausgestellt" },
  "billing.settings_updated": { level: "info", label: "Abrechnungseinstellungen geändert" },
  "billing.item_added": { level: "info", label: "Abrechnungsposition hinzugefügt" },
  "billing.item_removed": { level: "info", label: "Abrechnungsposition entfernt" },
  "billing.tier_price_scheduled": { level: "info", label: "Preisänderung des Tarifs angekündigt" },
  "billing.tier_price_cancelled": { level: "info", label: "Angekündigte Preisänderung zurückgenommen" },
  "billing.profile_updated": { level: "info", label: "Rechnungsprofil geändert" },
  "billing.conflict_skipped": { level: "warning", label: "Zeitraum bereits berechnet – nicht erneut abgerechnet" },
  // dunning (lib/dunning)
  "dunning.reminder_sent": { level: "warning", label: "Zahlungserinnerung versendet" },
  "dunning.dunning_1_sent": { level: "warning", label: "1. Mahnung versendet" },
  "dunning.dunning_2_sent": { level: "warning", label: "2. Mahnung versendet" },
  "dunning.settings_updated": { level: "info", label: "Mahneinstellungen geändert" },
  "dunning.paused": { level: "info", label: "Mahnwesen pausiert" },
  "dunning.resumed": { level: "info", label: "Mahnwesen fortgesetzt" },
} as const satisfies Record<string, ActionSpec>;

export type ActivityAction = keyof typeof ACTIVITY_ACTIONS;

export function actionSpec(action: ActivityAction): ActionSpec {
  return ACTIVITY_ACTIONS[action];
}

export function actionLabel(action: string): string {
  return (ACTIVITY_ACTIONS as Record<string, ActionSpec>)[action]?.label ?? "Sonstige Aktivität";
}

/**
 * Kinds the activity page filters by. Every catalog code belongs to exactly one
 * kind (actionKind); a code outside the catalog (old rows) belongs to its area's
 * kind, and one of an unknown area to none (it shows only without a kind filter).
 */
export const ACTIVITY_KINDS = {
  anmeldung: "Anmeldungen",
  konto: "Konto & Sicherheit",
  server: "Server",
  domains: "Domains",
  rechnungen: "Rechnungen & Zahlungen",
  verwaltung: "Verwaltung",
} as const;
export type ActivityKind = keyof typeof ACTIVITY_KINDS;
export const ACTIVITY_KIND_KEYS = Object.keys(ACTIVITY_KINDS) as [ActivityKind, ...ActivityKind[]];

const SIGN_IN = new Set([
  "manage.login",
  "manage.login_failed",
  "manage.logout",
  "auth.logout_all",
  "auth.2fa_failed",
  "auth.2fa_locked",
  "auth.session_ended",
  "auth.recovery_code_used",
  "api.login",
  "api.login_failed",
  "api.logout",
  "api.refresh_token_reuse",
]);

/** Kinds by the code's area (the part before the first dot); sign-ins are split from other account changes. */
const AREA_KINDS: Record<string, ActivityKind> = {
  manage: "konto",
  auth: "konto",
  api: "konto",
  webhook: "konto",
  server: "server",
  domain: "domains",
  invoice: "rechnungen",
  payment: "rechnungen",
  billing: "rechnungen",
  dunning: "rechnungen",
  sepa: "rechnungen",
  instance: "verwaltung",
  admin: "verwaltung",
};

/**
 * The kind of a code: the sign-in codes, else by its area; null for an area of no kind.
 * The database stores it with every entry (column `kind`, function activity_kind() of
 * migration 0027, the same rules): a new code in a known area needs nothing, a new area
 * or sign-in code needs a migration replacing activity_kind() (tests/activity/kind-seq.test.ts
 * compares both for every catalog code).
 */
export function actionKind(action: string): ActivityKind | null {
  if (SIGN_IN.has(action)) return "anmeldung";
  return AREA_KINDS[action.split(".")[0]!] ?? null;
}

/** All catalog codes of one kind (for the SQL filter). */
export function actionsOfKind(kind: ActivityKind): ActivityAction[] {
  return (Object.keys(ACTIVITY_ACTIONS) as ActivityAction[]).filter((action) => actionKind(action) === kind);
}
