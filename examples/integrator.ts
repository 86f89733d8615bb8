/**
 * The integrator's example from the README ("Für Integratoren"), typed from
 * the published OpenAPI document. Generate the types first (not committed):
 *   npx openapi-typescript https://<portal>/api/v1/openapi.json -o examples/api-types.d.ts
 * tests/webhooks/integrator-example.test.ts generates them, type-checks this
 * file and runs it against the API.
 */
import createClient from "openapi-fetch";
import { Webhook } from "standardwebhooks";
import type { paths, webhooks } from "./api-types";

export type WebhookEvent = NonNullable<webhooks[keyof webhooks]["post"]["requestBody"]>["content"]["application/json"];

export async function latestInvoicePdf(baseUrl: string, email: string, password: string) {
  const api = createClient<paths>({ baseUrl });
  const { data: login } = await api.POST("/api/v1/auth/login", { body: { email, password } });
  if (!login || !("access_token" in login)) throw new Error("Anmeldung fehlgeschlagen (oder 2FA-Code nötig)");
  const headers = { authorization: `Bearer ${login.access_token}` };
  const { data: status } = await api.GET("/api/v1/hosts", { headers });
  const { data: list } = await api.GET("/api/v1/invoices", { headers, params: { query: { per_page: 1 } } });
  const invoice = list?.invoices[0];
  if (!invoice) return { hosts: status?.hosts ?? [], invoice: null, pdf: null };
  const { data: pdf } = await api.GET("/api/v1/invoices/{id}/e-invoice", {
    headers,
    params: { path: { id: String(invoice.id) }, query: { format: "facturx" } },
    parseAs: "arrayBuffer",
  });
  return { hosts: status?.hosts ?? [], invoice, pdf: pdf ? Buffer.from(pdf) : null };
}

/** In the receiver: throws unless the body was signed with the endpoint's secret (and is at most 5 minutes old). */
export function verifyWebhook(secret: string, body: string, headers: Record<string, string>): WebhookEvent {
  return new Webhook(secret).verify(body, headers) as WebhookEvent;
}
