import "zod-openapi";
import { EINVOICE_FORMATS, VAT_TREATMENTS } from "@/db/schema/billing";
import { z } from "@/lib/validation";
import { statusPayment } from "./openapi-files";
import * as s from "./schemas";

/**
 * Success bodies of the manage API and API v1 that the customer portal and the staff pages share
 * (status, server view, backups, billing profile, domain checks), closed like every success body:
 * each field the presenter writes, nothing else.
 */

const ts = s.apiTimestampField;
const day = () => z.string().meta({ format: "date", example: "2026-12-01" });

/** Customers and devices the instance reports, against its limits (lib/instances/usage.ts). */
export const instanceUsage = z
  .object({
    customers: z.number().int().nullable(),
    devices: z.number().int().nullable(),
    customers_percent: z.number().nullable(),
    devices_percent: z.number().nullable(),
    percent: z.number().nullable().meta({ description: "Der höhere der beiden Anteile" }),
    level: z.string(),
    level_label: z.string(),
    reported_at: ts().nullable(),
    error: z.string().nullable(),
  })
  .strict()
  .meta({ id: "InstanceUsage" });

export const manageStatus = z
  .object({
    instance: z
      .object({
        id: z.number().int(),
        name: z.string(),
        company_name: z.string(),
        status: z.string(),
        status_label: z.string(),
        suspended: z.boolean(),
        suspended_reason: z.string().nullable(),
      })
      .strict(),
    server: z
      .object({
        status: s.serverStatusField,
        status_label: z.string(),
        health_status: z.string(),
        health_status_label: z.string(),
        ipv4: z.string().nullable(),
        server_type: z.string().nullable(),
        datacenter: s.datacenterField,
        last_synced_at: ts().nullable(),
      })
      .strict(),
    billing: z
      .object({
        status: z.string(),
        status_label: z.string(),
        pricing_tier: z.string(),
        pricing_tier_label: z.string(),
        monthly_price: z.string().meta({
          description:
            "Monatlicher Preis des Tarifs (oder der individuelle Preis) als Nettobetrag: Tarifpreise sind netto, die Umsatzsteuer kommt nach dem Rechnungsprofil hinzu (Inland 19 %, Reverse Charge/steuerfrei/Drittland 0 %).",
          example: "49,00 €",
        }),
        upcoming_price_change: z
          .object({ effective_from: day(), monthly_price: z.string(), label: z.string().meta({ example: "ab 01.12.2026: 39,00 €" }) })
          .strict()
          .nullable()
          .meta({ description: "Geplante Preisänderung des Tarifs; null ohne eine oder bei individuellem Preis" }),
        trial_ends_at: day().nullable(),
        paid_until: day().nullable(),
      })
      .strict(),
    domains: z
      .object({
        portal_domain: z.string(),
        custom_portal_domain: z.string().nullable(),
        portal_url: z.string(),
        meshcentral_domain: z.string(),
        custom_meshcentral_domain: z.string().nullable(),
        meshcentral_url: z.string(),
      })
      .strict(),
    version: z.object({ app_version: z.string(), portal_version: z.string() }).strict(),
    limits: z.object({ max_customers: z.number().int(), max_devices: z.number().int() }).strict(),
    usage: instanceUsage,
    payment: statusPayment,
  })
  .strict()
  .meta({ id: "ManageStatus" });

export const serverImage = z
  .object({
    id: z.number().int(),
    type: z.string(),
    description: z.string().nullable(),
    status: z.string(),
    status_label: z.string(),
    size_gb: z.number().nullable(),
    created_at: ts().nullable(),
  })
  .strict()
  .meta({ id: "ServerImage" });

export const backupsView = z
  .object({
    backups_enabled: z.boolean(),
    backup_window: z.string().nullable(),
    backup_window_label: z.string().nullable(),
    backup_price_cents: z.number().int().nullable(),
    backup_price_label: z.string().nullable(),
    backups: z.array(serverImage),
    snapshots: z.array(serverImage),
    snapshot_limit: z.number().int(),
    can_create_snapshot: z.boolean(),
  })
  .strict()
  .meta({ id: "ServerBackups" });

/** The running or last server action (lib/servers/service.ts). */
export const serverActionView = z
  .object({
    id: z.number().int(),
    action: z.string(),
    action_label: z.string(),
    forced: z.boolean(),
    status: z.string(),
    progress: z.number().int().nullable(),
    progress_label: z.string(),
    message: z.string().nullable(),
    actor: z.string().nullable(),
    started_at: ts().nullable(),
    finished_at: ts().nullable(),
  })
  .strict()
  .meta({ id: "ServerActionView" });

export const serverView = z
  .object({
    server: z
      .object({
        hetzner_server_id: z.number().int().nullable(),
        name: z.string().nullable(),
        status: s.serverStatusField,
        status_label: z.string(),
        health_status: z.string(),
        health_status_label: z.string(),
        ipv4: z.string().nullable(),
        server_type: z.string().nullable(),
        datacenter: s.datacenterField,
        last_synced_at: ts().nullable(),
      })
      .strict()
      .nullable(),
    action: serverActionView.nullable(),
    action_running: z.boolean(),
    can_force_power_off: z.boolean(),
    sync_error: z.string().nullable(),
    message: z.string().nullable(),
    can_control: z.boolean(),
  })
  .strict()
  .meta({ id: "ManageServerView" });

/** A started server action: its message and the action key. */
export const serverActionStarted = z.object({ message: z.string(), action: z.string() }).strict().meta({ id: "ServerActionStarted" });

/** GET /api/v1/hosts/{id}: the host with its running or last action. */
export const hostWithAction = z
  .object({ host: s.host, action: serverActionView.nullable(), action_running: z.boolean(), sync_error: z.string().nullable() })
  .strict()
  .meta({ id: "HostWithAction" });

export const cnameCheck = z
  .object({
    ok: z.boolean(),
    status: z.enum(["ok", "nxdomain", "no_record", "wrong_target", "a_record", "timeout", "servfail", "error"]),
    domain: z.string(),
    found: z.array(z.string()).meta({ description: "Gefundene Ziele (CNAME bzw. A)" }),
    expected: z.string(),
    points_to_server_ip: z.boolean().optional().meta({ description: "Nur bei einem A-Eintrag: zeigt er auf die IPv4 des Servers?" }),
    message: z.string(),
    kind: z.enum(["portal", "meshcentral"]),
    checked_at: ts(),
  })
  .strict()
  .meta({ id: "CnameCheck", description: "Ergebnis der DNS-Prüfung (status, gefundene Ziele, Meldung) mit Art und Zeitpunkt" });

export const domainsApplied = z
  .object({ message: z.string(), applied: z.boolean(), portal_domain: z.string().nullable(), meshcentral_domain: z.string().nullable() })
  .strict()
  .meta({ id: "DomainsApplied" });

const billingProfileFields = z
  .object({
    legal_name: z.string(),
    contact_name: z.string().nullable(),
    street: z.string(),
    additional_line: z.string().nullable(),
    post_code: z.string(),
    city: z.string(),
    country_code: z.string().meta({ description: "ISO 3166-1 alpha-2" }),
    vat_id: z.string().nullable(),
    leitweg_id: z.string().nullable(),
    buyer_reference: z.string().nullable(),
    customer_number: z.string().nullable(),
    invoice_emails: z.array(z.string()),
    einvoice_format: z.enum(EINVOICE_FORMATS),
    vat_treatment: z.enum(VAT_TREATMENTS),
    exemption_reason: z.string().nullable(),
  })
  .strict()
  .meta({ id: "BillingProfileFields" });
const choice = z.object({ value: z.string(), label: z.string() }).strict();
const billingProfileShape = {
  exists: z.boolean().meta({ description: "false: noch kein Profil gespeichert (profile null)" }),
  complete: z.boolean(),
  profile: billingProfileFields.nullable().meta({ description: "Die gespeicherten Felder (Anschrift, USt-IdNr., Leitweg-ID, E-Mails, Format, steuerliche Behandlung)" }),
  einvoice_format_label: z.string().optional(),
  vat_treatment_label: z.string().optional(),
  address_lines: z.array(z.string()),
  updated_at: ts().nullable(),
};
export const billingProfileView = z
  .object({
    ...billingProfileShape,
    options: z
      .object({ countries: z.array(choice), einvoice_formats: z.array(choice), vat_treatments: z.array(choice) })
      .strict()
      .meta({ description: "Auswahllisten (Länder, Formate, steuerliche Behandlungen)" }),
  })
  .strict()
  .meta({ id: "BillingProfile" });
export const billingProfileSaved = z.object({ message: z.string(), ...billingProfileShape }).strict().meta({ id: "BillingProfileSaved" });
