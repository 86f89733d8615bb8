export * from "./endpoints";
export { WEBHOOK_EVENT_TYPES, WEBHOOK_EVENT_LABELS, TEST_EVENT_TYPE, webhookPayloadSchema, type WebhookEventType } from "@/lib/events/webhooks";
export { deliverDueWebhooks, webhookBackoffSeconds, signatureHeader } from "./deliver";
export { scanOverdueInvoices } from "./overdue";
