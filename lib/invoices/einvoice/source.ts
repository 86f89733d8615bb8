/**
 * What an e-invoice is made of: the instance's e-invoice settings (format,
 * Leitweg-ID) and the frozen parts of an issued invoice (items, issuer
 * snapshot, recipient), mapped by `map.ts` for the library.
 */
import { and, asc, eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import type { DbOrTx } from "@/db/types";
import { instanceEinvoiceSettings, invoiceItems, invoices, roles, userRoles, users } from "@/db/schema";
import { NotFoundError, ValidationError } from "@/lib/errors";
import type { CalculatedLine } from "@/lib/invoices/calc";
import { currentIssuer } from "@/lib/invoices/issuer-config";
import type { IssuerConfig } from "@/lib/invoices/pdf/types";
import { lineFromItem, type InvoiceRow } from "@/lib/invoices/rows";
import { leitwegIdProblem } from "@/lib/invoices/billing-profile-schemas";
import { directDebitForEInvoice } from "@/lib/sepa/prenotification";
import type { EInvoiceSource } from "./map";

// ---------------------------------------------------------------------------
// Settings

export type EInvoiceFormat = "zugferd" | "xrechnung";

export type EinvoiceSettings = { einvoice_format: EInvoiceFormat; leitweg_id: string | null };

export async function getEinvoiceSettings(instanceId: number, db?: DbOrTx): Promise<EinvoiceSettings> {
  const executor = db ?? (await getDb());
  const [row] = await executor.select().from(instanceEinvoiceSettings).where(eq(instanceEinvoiceSettings.instanceId, instanceId));
  return { einvoice_format: row?.einvoiceFormat ?? "zugferd", leitweg_id: row?.leitwegId ?? null };
}


export async function setEinvoiceSettings(instanceId: number, input: EinvoiceSettings): Promise<EinvoiceSettings> {
  const leitwegId = input.leitweg_id?.trim() || null;
  const problem = leitwegId ? leitwegIdProblem(leitwegId) : null;
  if (problem) throw new ValidationError({ leitweg_id: [problem] });
  if (input.einvoice_format !== "zugferd" && input.einvoice_format !== "xrechnung") {
    throw new ValidationError({ einvoice_format: ["Bitte „zugferd“ oder „xrechnung“ wählen."] });
  }
  const db = await getDb();
  const values = { instanceId, einvoiceFormat: input.einvoice_format, leitwegId, updatedAt: new Date() };
  await db
    .insert(instanceEinvoiceSettings)
    .values(values)
    .onConflictDoUpdate({ target: instanceEinvoiceSettings.instanceId, set: { einvoiceFormat: values.einvoiceFormat, leitwegId, updatedAt: values.updatedAt } });
  return { einvoice_format: input.einvoice_format, leitweg_id: leitwegId };
}

/**
 * The XML the recipient asked for, frozen on the invoice with its billing profile (XRechnung UBL
 * → `xrechnung_xml`; XRechnung CII or Factur-X → `cii_xml`, in XRechnung syntax for the former);
 * invoices drafted before the profile existed follow the instance's e-invoice setting.
 */
export async function profileXml(db: DbOrTx, row: InvoiceRow): Promise<{ kind: "cii_xml" | "xrechnung_xml"; xrechnungCii: boolean }> {
  const wanted = row.recipient.einvoice_format;
  if (wanted === "xrechnung_ubl") return { kind: "xrechnung_xml", xrechnungCii: false };
  if (wanted) return { kind: "cii_xml", xrechnungCii: wanted === "xrechnung_cii" };
  const setting = (await getEinvoiceSettings(row.instanceId, db)).einvoice_format;
  return { kind: setting === "xrechnung" ? "xrechnung_xml" : "cii_xml", xrechnungCii: false };
}

// ---------------------------------------------------------------------------
// Source data (frozen parts of the invoice)

async function buyerEmail(db: DbOrTx, instanceId: number): Promise<string | null> {
  const [row] = await db
    .select({ email: users.email })
    .from(users)
    .innerJoin(userRoles, eq(userRoles.userId, users.id))
    .innerJoin(roles, eq(roles.key, userRoles.roleKey))
    .where(and(eq(users.instanceId, instanceId), eq(users.active, true), eq(roles.key, "customer_admin")))
    .orderBy(asc(users.email))
    .limit(1);
  return row?.email ?? null;
}

export async function sourceFor(db: DbOrTx, row: InvoiceRow): Promise<EInvoiceSource> {
  if (!row.issuedAt || !row.invoiceNumber || !row.invoiceDate) throw new NotFoundError("Für Entwürfe gibt es noch keine E-Rechnung.");
  const items = await db.select().from(invoiceItems).where(eq(invoiceItems.invoiceId, row.id)).orderBy(asc(invoiceItems.position));
  const [cancelled] = row.cancelsInvoiceId
    ? await db.select({ invoiceNumber: invoices.invoiceNumber, invoiceDate: invoices.invoiceDate }).from(invoices).where(eq(invoices.id, row.cancelsInvoiceId))
    : [];
  const settings = await getEinvoiceSettings(row.instanceId, db);
  const lines: CalculatedLine[] = items.map(lineFromItem);
  return {
    kind: row.kind,
    invoiceNumber: row.invoiceNumber,
    invoiceDate: row.invoiceDate,
    dueDate: row.dueDate,
    servicePeriodStart: row.servicePeriodStart,
    servicePeriodEnd: row.servicePeriodEnd,
    title: row.title,
    notes: row.notes,
    reverseCharge: row.reverseCharge,
    recipient: row.recipient,
    items: lines,
    cancels: cancelled?.invoiceNumber ? { invoiceNumber: cancelled.invoiceNumber, invoiceDate: cancelled.invoiceDate } : null,
    issuer: (row.issuer as IssuerConfig | null) ?? currentIssuer(),
    // Frozen with the recipient when drafting (billing profile); the old instance setting only for older invoices.
    leitwegId: row.recipient.leitweg_id ?? settings.leitweg_id,
    buyerEmail: row.recipient.emails?.[0] ?? (await buyerEmail(db, row.instanceId)),
    directDebit: row.kind === "invoice" ? await directDebitForEInvoice(db, row.id) : null,
  };
}

