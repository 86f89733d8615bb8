import { ID_TOO_LARGE, MAX_INT_ID, pageQuery, z } from "@/lib/validation";

/** Instance names become DNS labels: `<name>.portal.<MSP_DOMAIN>`. */
export const INSTANCE_NAME_RE = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
export const RESERVED_INSTANCE_NAMES = new Set([
  "www", "api", "admin", "portal", "remote", "manage", "mail", "smtp", "status", "support", "master", "app", "dev", "test",
]);

export const instanceNameField = z
  .string({ error: "Bitte einen Instanznamen angeben." })
  .trim()
  .toLowerCase()
  .min(2, { error: "Der Instanzname muss mindestens 2 Zeichen lang sein." })
  .max(40, { error: "Der Instanzname darf höchstens 40 Zeichen lang sein." })
  .regex(INSTANCE_NAME_RE, {
    error: "Nur Kleinbuchstaben (a–z), Ziffern und Bindestriche; nicht mit Bindestrich beginnen oder enden.",
  })
  .refine((v) => !v.includes("--"), { error: "Zwei Bindestriche hintereinander sind nicht erlaubt." })
  .refine((v) => !RESERVED_INSTANCE_NAMES.has(v), { error: "Dieser Name ist reserviert. Bitte einen anderen wählen." });

const companyName = z
  .string({ error: "Bitte den Firmennamen angeben." })
  .trim()
  .min(2, { error: "Der Firmenname muss mindestens 2 Zeichen lang sein." })
  .max(200, { error: "Der Firmenname darf höchstens 200 Zeichen lang sein." });

const tierKey = z.string({ error: "Bitte einen Tarif wählen." }).trim().min(1, { error: "Bitte einen Tarif wählen." }).max(50);

const hetznerServerId = z
  .number({ error: "Die Hetzner-Server-ID muss eine Zahl sein." })
  .int({ error: "Die Hetzner-Server-ID muss eine ganze Zahl sein." })
  .positive({ error: "Die Hetzner-Server-ID muss positiv sein." })
  .max(2_147_483_647, { error: "Die Hetzner-Server-ID ist zu groß." });

const HOSTNAME_RE = /^(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const hostname = z
  .string()
  .trim()
  .toLowerCase()
  .regex(HOSTNAME_RE, { error: "Bitte einen gültigen Hostnamen angeben (z. B. kunde.portal.myit.center)." });

const limit = (label: string) =>
  z
    .number({ error: `${label} muss eine Zahl sein.` })
    .int({ error: `${label} muss eine ganze Zahl sein.` })
    .min(0, { error: `${label} darf nicht negativ sein.` })
    .max(1_000_000, { error: `${label} ist zu groß.` });

export const BILLING_STATUSES = ["trial", "active", "past_due", "cancelled"] as const;
export const INSTANCE_STATUSES = ["provisioning", "online", "offline", "maintenance"] as const;

export const createInstanceSchema = z.object({
  name: instanceNameField,
  company_name: companyName,
  pricing_tier: tierKey,
  hetzner_server_id: hetznerServerId.nullable().optional(),
  portal_domain: hostname.optional().or(z.literal("").transform(() => undefined)),
  meshcentral_domain: hostname.optional().or(z.literal("").transform(() => undefined)),
  billing_status: z.enum(BILLING_STATUSES, { error: "Unbekannter Abrechnungsstatus." }).optional(),
});

export const updateInstanceSchema = z
  .object({
    company_name: companyName.optional(),
    pricing_tier: tierKey.optional(),
    status: z.enum(INSTANCE_STATUSES, { error: "Unbekannter Instanzstatus." }).optional(),
    billing_status: z.enum(BILLING_STATUSES, { error: "Unbekannter Abrechnungsstatus." }).optional(),
    /** null = the tier's limit. */
    max_customers: limit("Max. Kunden").nullable().optional(),
    max_devices: limit("Max. Geräte").nullable().optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), { error: "Bitte mindestens ein Feld ändern." });

export const linkServerSchema = z.object({ hetzner_server_id: hetznerServerId });

export const suspendSchema = z.object({
  reason: z
    .string({ error: "Bitte einen Grund für die Sperre angeben." })
    .trim()
    .min(3, { error: "Bitte einen Grund für die Sperre angeben (mindestens 3 Zeichen)." })
    .max(500, { error: "Der Grund darf höchstens 500 Zeichen lang sein." }),
});

export const reactivateSchema = z.object({
  reason: z.string().trim().max(500, { error: "Die Notiz darf höchstens 500 Zeichen lang sein." }).optional(),
});

export const listInstancesQuery = z.object({
  ...pageQuery,
  search: z.string().trim().max(100, { error: "Die Suche darf höchstens 100 Zeichen lang sein." }).optional().meta({ description: "Findet Kunden nach Instanzname, Firma, Ansprechpartner, E-Mail, Rechnungsnummer und Domain (auch Unicode)" }),
  status: z.enum([...INSTANCE_STATUSES, "suspended"], { error: "Unbekannter Status-Filter." }).optional().or(z.literal("").transform(() => undefined)),
  billing_status: z.enum(BILLING_STATUSES, { error: "Unbekannter Abrechnungs-Filter." }).optional().or(z.literal("").transform(() => undefined)),
  pricing_tier: z.string().trim().max(50).optional().or(z.literal("").transform(() => undefined)),
  sort: z
    .enum(["name", "usage"], { error: "Sortierung muss name oder usage sein." })
    .optional()
    .or(z.literal("").transform(() => undefined))
    .meta({ description: "name (Standard) oder usage: höchste Auslastung der Limits (Kunden oder Geräte) zuerst" }),
});

export const roleKeys = z
  .array(z.string().trim().min(1).max(50), { error: "Bitte mindestens eine Rolle wählen." })
  .min(1, { error: "Bitte mindestens eine Rolle wählen." })
  .max(10);

export const inviteUserSchema = z.object({
  email: z
    .string({ error: "Bitte eine E-Mail-Adresse angeben." })
    .trim()
    .toLowerCase()
    .max(254, { error: "Die E-Mail-Adresse ist zu lang." })
    .pipe(z.email({ error: "Bitte eine gültige E-Mail-Adresse angeben." })),
  name: z
    .string({ error: "Bitte einen Namen angeben." })
    .trim()
    .min(2, { error: "Der Name muss mindestens 2 Zeichen lang sein." })
    .max(200, { error: "Der Name darf höchstens 200 Zeichen lang sein." }),
  roles: roleKeys,
});

export const setRolesSchema = z.object({ roles: roleKeys });

export const listUsersQuery = z.object({
  ...pageQuery,
  scope: z.enum(["staff", "customer", "all"], { error: "scope muss staff, customer oder all sein." }).default("all"),
  instance_id: z.coerce.number({ error: "instance_id muss eine Zahl sein." }).int().positive().max(MAX_INT_ID, ID_TOO_LARGE).optional(),
  search: z.string().trim().max(100).optional(),
});

export const updateTierSchema = z
  .object({
    label: z.string().trim().min(2, { error: "Die Bezeichnung muss mindestens 2 Zeichen lang sein." }).max(60, { error: "Die Bezeichnung darf höchstens 60 Zeichen lang sein." }).optional(),
    /** Euro, at most two decimals (49 or 49.9 or 49.90). */
    monthly_price: z
      .number({ error: "Der Monatspreis muss eine Zahl sein (Euro)." })
      .min(0, { error: "Der Monatspreis darf nicht negativ sein." })
      .max(100_000, { error: "Der Monatspreis ist zu hoch." })
      .refine((v) => Math.abs(Math.round(v * 100) - v * 100) < 1e-6, { error: "Der Monatspreis darf höchstens zwei Nachkommastellen haben." })
      .optional(),
    max_customers: limit("Max. Kunden").optional(),
    max_devices: limit("Max. Geräte").optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), { error: "Bitte mindestens ein Feld ändern." });

export const startImpersonationSchema = z.object({
  instance_id: z.number({ error: "Bitte eine Instanz angeben." }).int().positive().max(MAX_INT_ID, ID_TOO_LARGE),
});

