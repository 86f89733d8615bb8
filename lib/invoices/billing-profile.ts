/**
 * Billing profile of a customer instance: the invoice recipient (legal name, structured
 * address, VAT ID, Leitweg-ID, buyer reference, invoice e-mails), the e-invoice format it
 * needs and its VAT treatment.
 *
 * - Staff edit everything (`updateBillingProfile`); customer admins only the address and
 *   the invoice e-mails of their own instance (`updateOwnBillingProfile`). Both write one
 *   activity entry on the instance listing the changed fields.
 * - Drafts and billing runs take the recipient from here as it is when drafting
 *   (`recipientFromProfile`); the snapshot on the invoice is what gets issued, so a later
 *   profile change never touches an issued invoice and a one-off recipient override on a
 *   draft stays on that draft only.
 * - Without a profile the recipient is the instance's company name without address (the
 *   draft cannot be issued until staff add one).
 */
import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import type { DbOrTx } from "@/db/types";
import { instanceBillingProfiles, instances, type InvoiceRecipientSnapshot, type VatTreatment } from "@/db/schema";
import { recordActivity, type Actor } from "@/lib/activity";
import { NotFoundError } from "@/lib/errors";
import { apiTimestamp } from "@/lib/time";
import {
  COUNTRY_NAMES,
  EINVOICE_FORMAT_LABELS,
  VAT_TREATMENT_LABELS,
  type CustomerProfileInput,
  type StaffProfileInput,
} from "@/lib/invoices/billing-profile-schemas";

type ProfileRow = typeof instanceBillingProfiles.$inferSelect;

const FIELD_LABELS: Record<string, string> = {
  legal_name: "Firmenname",
  contact_name: "Ansprechpartner",
  street: "Straße",
  additional_line: "Adresszusatz",
  post_code: "PLZ",
  city: "Ort",
  country_code: "Land",
  vat_id: "USt-IdNr.",
  leitweg_id: "Leitweg-ID",
  buyer_reference: "Käuferreferenz",
  customer_number: "Kundennummer",
  invoice_emails: "Rechnungs-E-Mail",
  einvoice_format: "E-Rechnungsformat",
  vat_treatment: "Steuerliche Behandlung",
  exemption_reason: "Befreiungsgrund",
};

function toApi(row: ProfileRow) {
  return {
    legal_name: row.legalName,
    contact_name: row.contactName,
    street: row.street,
    additional_line: row.additionalLine,
    post_code: row.postCode,
    city: row.city,
    country_code: row.countryCode,
    vat_id: row.vatId,
    leitweg_id: row.leitwegId,
    buyer_reference: row.buyerReference,
    customer_number: row.customerNumber,
    invoice_emails: row.invoiceEmails,
    einvoice_format: row.einvoiceFormat,
    vat_treatment: row.vatTreatment,
    exemption_reason: row.exemptionReason,
  };
}

function present(row: ProfileRow | undefined, companyName: string) {
  if (!row) return { exists: false as const, complete: false, profile: null, address_lines: [companyName], updated_at: null };
  return {
    exists: true as const,
    complete: Boolean(row.street && row.postCode && row.city),
    profile: toApi(row),
    einvoice_format_label: EINVOICE_FORMAT_LABELS[row.einvoiceFormat],
    vat_treatment_label: VAT_TREATMENT_LABELS[row.vatTreatment],
    address_lines: addressLines(row),
    updated_at: apiTimestamp(row.updatedAt),
  };
}

/** The printed address: street, additional line, "PLZ Ort", country unless Germany. */
function addressLines(row: Pick<ProfileRow, "street" | "additionalLine" | "postCode" | "city" | "countryCode">) {
  return [row.street, row.additionalLine, `${row.postCode} ${row.city}`.trim(), row.countryCode === "DE" ? null : (COUNTRY_NAMES[row.countryCode] ?? row.countryCode)].filter(
    (l): l is string => Boolean(l),
  );
}

async function loadInstance(db: DbOrTx, instanceId: number) {
  const [instance] = await db.select({ id: instances.id, companyName: instances.companyName }).from(instances).where(eq(instances.id, instanceId));
  if (!instance) throw new NotFoundError("Diese Instanz gibt es nicht.");
  const [row] = await db.select().from(instanceBillingProfiles).where(eq(instanceBillingProfiles.instanceId, instanceId));
  return { instance, row };
}

/** Choices of the profile form, served with the profile so the UI has no second copy of them. */
const OPTIONS = {
  countries: Object.entries(COUNTRY_NAMES).map(([value, label]) => ({ value, label })),
  einvoice_formats: Object.entries(EINVOICE_FORMAT_LABELS).map(([value, label]) => ({ value, label })),
  vat_treatments: Object.entries(VAT_TREATMENT_LABELS).map(([value, label]) => ({ value, label })),
};

export async function getBillingProfile(instanceId: number) {
  const db = await getDb();
  const { instance, row } = await loadInstance(db, instanceId);
  return { ...present(row, instance.companyName), options: OPTIONS };
}
export type BillingProfileView = Awaited<ReturnType<typeof getBillingProfile>>;

function changedFields(before: Record<string, unknown> | null, after: Record<string, unknown>) {
  return Object.keys(after).filter((key) => JSON.stringify(before?.[key] ?? null) !== JSON.stringify(after[key] ?? null));
}

async function write(actor: Actor, instanceId: number, values: Partial<ProfileRow>, options: { tx?: DbOrTx }, who: "staff" | "customer") {
  const run = async (tx: DbOrTx) => {
    const { instance, row } = await loadInstance(tx, instanceId);
    const before = row ? (toApi(row) as Record<string, unknown>) : null;
    const base = row ?? { legalName: instance.companyName, street: "", postCode: "", city: "" };
    const next = { ...base, ...values, instanceId, updatedAt: new Date() };
    const [saved] = await tx
      .insert(instanceBillingProfiles)
      .values(next as typeof instanceBillingProfiles.$inferInsert)
      .onConflictDoUpdate({ target: instanceBillingProfiles.instanceId, set: { ...values, updatedAt: next.updatedAt } })
      .returning();
    const changed = changedFields(before, toApi(saved!) as Record<string, unknown>);
    if (changed.length > 0) {
      await recordActivity(tx, actor, {
        instanceId,
        action: "billing.profile_updated",
        description: `Rechnungsprofil geändert${who === "customer" ? " (Kunde)" : ""}: ${changed.map((f) => FIELD_LABELS[f] ?? f).join(", ")}`,
        metadata: { fields: changed },
      });
    }
    return { profile: present(saved, instance.companyName), changed };
  };
  if (options.tx) return run(options.tx);
  return (await getDb()).transaction(run);
}

/** Staff: the whole profile. */
export async function updateBillingProfile(actor: Actor, input: StaffProfileInput & { instance_id: number }, options: { tx?: DbOrTx } = {}) {
  return write(
    actor,
    input.instance_id,
    {
      legalName: input.legal_name,
      contactName: input.contact_name,
      street: input.street,
      additionalLine: input.additional_line,
      postCode: input.post_code,
      city: input.city,
      countryCode: input.country_code,
      vatId: input.vat_id,
      leitwegId: input.leitweg_id,
      buyerReference: input.buyer_reference,
      customerNumber: input.customer_number,
      invoiceEmails: input.invoice_emails,
      einvoiceFormat: input.einvoice_format,
      vatTreatment: input.vat_treatment,
      exemptionReason: input.vat_treatment === "tax_exempt" ? input.exemption_reason : null,
    },
    options,
    "staff",
  );
}

/** Customer admin: the invoice address and the invoice e-mails of the own instance. */
export async function updateOwnBillingProfile(actor: Actor, input: CustomerProfileInput & { instance_id: number }, options: { tx?: DbOrTx } = {}) {
  return write(
    actor,
    input.instance_id,
    { street: input.street, additionalLine: input.additional_line, postCode: input.post_code, city: input.city, countryCode: input.country_code, invoiceEmails: input.invoice_emails },
    options,
    "customer",
  );
}

/** VAT rate a line gets under the treatment: only domestic invoices carry German VAT. */
export function vatRateUnder(treatment: VatTreatment | undefined, rate: number) {
  return !treatment || treatment === "domestic" ? rate : 0;
}

/** The recipient snapshot for a new draft: the profile as it is now, else the bare company name. */
export async function recipientFromProfile(db: DbOrTx, instanceId: number): Promise<InvoiceRecipientSnapshot> {
  const { instance, row } = await loadInstance(db, instanceId);
  if (!row) return { company_name: instance.companyName, name: null, address_lines: [], vat_id: null, customer_number: null };
  const hasAddress = Boolean(row.street && row.postCode && row.city);
  return {
    company_name: row.legalName,
    name: row.contactName,
    address_lines: hasAddress ? addressLines(row) : [],
    address: hasAddress ? { street: row.street, additional_line: row.additionalLine, post_code: row.postCode, city: row.city, country_code: row.countryCode } : null,
    vat_id: row.vatId,
    customer_number: row.customerNumber,
    leitweg_id: row.leitwegId,
    buyer_reference: row.buyerReference,
    emails: row.invoiceEmails,
    einvoice_format: row.einvoiceFormat,
    vat_treatment: row.vatTreatment,
    exemption_reason: row.exemptionReason,
  };
}
