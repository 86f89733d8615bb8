/**
 * Request and response shapes of the webhook endpoints (API v1 and the manage
 * API share them); the OpenAPI document is generated from these schemas.
 */
import "zod-openapi";
import { z } from "@/lib/validation";
import { WEBHOOK_EVENT_TYPES } from "@/lib/events/webhooks";

const timestamp = () => z.string().meta({ format: "date-time", description: "UTC, ganze Sekunden", example: "2026-03-04T10:00:00+00:00" });

const eventList = z
  .array(z.enum(WEBHOOK_EVENT_TYPES, { error: "Unbekannter Ereignistyp." }))
  .min(1, { error: "Bitte mindestens ein Ereignis wählen." })
  .max(WEBHOOK_EVENT_TYPES.length)
  .transform((events) => [...new Set(events)]);

const urlField = z
  .string({ error: "Bitte die URL angeben." })
  .trim()
  .min(1, { error: "Bitte die URL angeben." })
  .max(2000, { error: "Die URL ist zu lang." })
  .meta({ description: "HTTPS-URL des Empfängers; lokale und private Netze sind nicht erlaubt", example: "https://erp.firma.de/hooks/portal" });

export const createWebhookBody = z
  .object({
    url: urlField,
    events: eventList,
    description: z.string().trim().max(200, { error: "Höchstens 200 Zeichen." }).optional(),
  })
  .strict()
  .meta({ id: "CreateWebhookRequest", example: { url: "https://erp.firma.de/hooks/portal", events: ["invoice.issued", "invoice.paid"] } });

export const updateWebhookBody = z
  .object({
    url: urlField.optional(),
    events: eventList.optional(),
    description: z.string().trim().max(200, { error: "Höchstens 200 Zeichen." }).optional(),
    enabled: z.boolean({ error: "enabled muss true oder false sein." }).optional(),
  })
  .strict()
  .meta({ id: "UpdateWebhookRequest", example: { enabled: false } });

export const rotateSecretBody = z
  .object({
    overlap_hours: z.coerce
      .number({ error: "overlap_hours muss eine Zahl sein." })
      .int()
      .min(0, { error: "Mindestens 0 Stunden." })
      .max(168, { error: "Höchstens 168 Stunden (7 Tage)." })
      .optional()
      .meta({ description: "So lange signiert das alte Secret zusätzlich (Standard 24 Stunden)" }),
  })
  .strict()
  .meta({ id: "RotateWebhookSecretRequest" });

export const webhookEndpoint = z
  .object({
    id: z.string().uuid(),
    tenant_id: z.string().uuid().nullable().meta({ description: "null = MSP-weiter Endpunkt (Ereignisse aller Tenants)" }),
    url: z.string(),
    description: z.string(),
    events: z.array(z.enum(WEBHOOK_EVENT_TYPES)),
    enabled: z.boolean(),
    disabled_reason: z.enum(["manual", "failing"]).nullable(),
    previous_secret_expires_at: timestamp().nullable().meta({ description: "Bis dahin signiert auch das vorige Secret (nach einer Erneuerung)" }),
    failing_since: timestamp().nullable(),
    created_at: timestamp(),
  })
  .strict()
  .meta({ id: "WebhookEndpoint" });

export const createdWebhookEndpoint = z
  .object({
    endpoint: webhookEndpoint,
    secret: z.string().meta({ description: "Signatur-Secret (whsec_…); wird nur jetzt einmal angezeigt", example: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" }),
  })
  .strict()
  .meta({ id: "CreatedWebhookEndpoint" });

export const webhookAttempt = z
  .object({
    attempt: z.number().int(),
    outcome: z.enum(["sending", "delivered", "failed", "interrupted"]),
    status_code: z.number().int().nullable(),
    duration_ms: z.number().int().nullable(),
    error: z.string().nullable(),
    started_at: timestamp(),
  })
  .strict()
  .meta({ id: "WebhookAttempt" });

export const webhookDelivery = z
  .object({
    id: z.number().int(),
    message_id: z.string().meta({ description: "webhook-id: gleich bei jeder Wiederholung" }),
    event_type: z.string(),
    status: z.enum(["queued", "sending", "delivered", "failed"]),
    attempts: z.number().int(),
    next_attempt_at: timestamp().nullable(),
    last_status_code: z.number().int().nullable(),
    last_duration_ms: z.number().int().nullable(),
    last_error: z.string().nullable(),
    delivered_at: timestamp().nullable(),
    created_at: timestamp(),
    attempt_log: z.array(webhookAttempt),
  })
  .strict()
  .meta({ id: "WebhookDelivery" });

export const webhookList = z.object({ endpoints: z.array(webhookEndpoint) }).strict().meta({ id: "WebhookEndpointList" });
export const webhookDeliveryList = z.object({ deliveries: z.array(webhookDelivery) }).strict().meta({ id: "WebhookDeliveryList" });
export const webhookTestResult = z
  .object({ message: z.string(), message_id: z.string() })
  .strict()
  .meta({ id: "WebhookTestResult" });
