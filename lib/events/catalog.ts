/** The webhook event types and their German labels (no imports: the portal UI reads them too). */
export const WEBHOOK_EVENT_TYPES = [
  "invoice.issued",
  "invoice.paid",
  "invoice.overdue",
  "instance.suspended",
  "instance.reactivated",
  "server.status_changed",
  "server.action.finished",
  "domain.applied",
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];
/** Sent only by "Testereignis senden", to one endpoint, whatever it subscribed. */
export const TEST_EVENT_TYPE = "webhook.test";

export const WEBHOOK_EVENT_LABELS: Record<WebhookEventType, string> = {
  "invoice.issued": "Rechnung ausgestellt",
  "invoice.paid": "Rechnung bezahlt",
  "invoice.overdue": "Rechnung überfällig",
  "instance.suspended": "Instanz gesperrt",
  "instance.reactivated": "Sperre aufgehoben",
  "server.status_changed": "Server-Status geändert",
  "server.action.finished": "Server-Aktion abgeschlossen",
  "domain.applied": "Domain-Konfiguration angewendet",
};

