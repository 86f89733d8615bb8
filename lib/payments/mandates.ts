/**
 * SEPA mandates: a customer admin grants one (account holder, IBAN checked with ibantools, BIC
 * outside Germany, scheme CORE or B2B, one-off or recurrent); the portal generates the mandate
 * reference, fills the German mandate text with the creditor (issuer name and address,
 * SEPA_CREDITOR_ID) and renders its PDF once; text and PDF are archived with the mandate
 * (the database refuses changing them). Revocation ends it (announced debits of it are no longer
 * collected). At most one active mandate per instance (unique index); each step is logged.
 */
import { randomBytes } from "node:crypto";
import { createHash } from "node:crypto";
import { and, desc, eq, inArray, ne } from "drizzle-orm";
import { getDb } from "@/db/client";
import { inTransaction, type CommandOptions } from "@/db/transaction";
import { uniqueViolation } from "@/db/errors";
import { instances, sepaDebits, sepaMandates } from "@/db/schema";
import { actorUserId, recordActivity, type Actor } from "@/lib/activity";
import { config } from "@/lib/config";
import { ConflictError, NotFoundError, UnprocessableError, ValidationError } from "@/lib/errors";
import { currentIssuer } from "@/lib/invoices/issuer-config";
import { apiTimestamp, todayIsoDate } from "@/lib/time";
import { checkAccount, groupIban } from "@/lib/sepa/identifiers";
import { renderMandatePdf } from "@/lib/sepa/mandate-pdf-loader";
import { MANDATE_TITLES, mandateText, newMandateReference } from "@/lib/sepa/mandate-text";
import { maskIban, SCHEME_LABELS } from "@/lib/sepa/notice";
import type { MandateBody } from "./sepa-schemas";

type MandateRow = typeof sepaMandates.$inferSelect;

export const MANDATE_STATUS_LABELS: Record<MandateRow["status"], string> = {
  active: "Aktiv",
  revoked: "Widerrufen",
  flagged: "Gesperrt (Rücklastschriften)",
};

export function presentMandate(row: MandateRow) {
  return {
    id: row.id,
    instance_id: row.instanceId,
    reference: row.reference,
    account_holder: row.accountHolder,
    iban: groupIban(row.iban),
    iban_masked: maskIban(row.iban),
    bic: row.bic,
    scheme: row.scheme,
    scheme_label: SCHEME_LABELS[row.scheme],
    mandate_type: row.mandateType,
    mandate_type_label: row.mandateType === "one_off" ? "Einmalige Zahlung" : "Wiederkehrende Zahlungen",
    signed_on: row.signedOn,
    signed_by_name: row.signedByName,
    creditor_id: row.creditorId,
    creditor_name: row.creditorName,
    status: row.status,
    status_label: MANDATE_STATUS_LABELS[row.status],
    return_count: row.returnCount,
    revoked_at: apiTimestamp(row.revokedAt),
    revoked_by_name: row.revokedByName,
    flagged_at: apiTimestamp(row.flaggedAt),
    flag_reason: row.flagReason,
    text: row.mandateText,
    pdf_sha256: row.pdfSha256,
    created_at: apiTimestamp(row.createdAt),
  };
}

export type MandateView = ReturnType<typeof presentMandate>;

/** The configured creditor identifier, or a 422 that names the variable. */
export function creditorId(): string {
  const id = config().SEPA_CREDITOR_ID;
  if (!id) throw new UnprocessableError("Lastschrift ist nicht eingerichtet: Die Gläubiger-Identifikationsnummer (SEPA_CREDITOR_ID) fehlt in der Konfiguration.");
  return id;
}

function actorName(actor: Actor): string {
  return actor.kind === "user" ? actor.principal.name : actor.kind === "system" ? actor.name : (actor.name ?? "Unbekannt");
}

/** POST …/sepa/mandates: grants a mandate for the instance (customer admin). */
export async function grantMandate(actor: Actor, input: MandateBody & { instanceId: number }, options?: CommandOptions) {
  const account = checkAccount(input.iban, input.bic);
  if (!account.ok) throw new ValidationError(account.errors as Record<string, string[]>);
  const creditor = creditorId();
  const issuer = currentIssuer();
  const signedOn = todayIsoDate();
  const signedByName = actorName(actor);
  const row = await inTransaction(options, async (tx) => {
    const [instance] = await tx.select({ id: instances.id, companyName: instances.companyName }).from(instances).where(eq(instances.id, input.instanceId));
    if (!instance) throw new NotFoundError("Instanz nicht gefunden.");
    const [active] = await tx.select({ reference: sepaMandates.reference }).from(sepaMandates).where(and(eq(sepaMandates.instanceId, input.instanceId), eq(sepaMandates.status, "active")));
    if (active) throw new ConflictError(`Es gibt bereits ein aktives Lastschriftmandat (${active.reference}). Bitte widerrufen Sie es zuerst.`);
    const reference = newMandateReference(input.instanceId, randomBytes(8).toString("hex").replace(/[^a-f0-9]/g, ""));
    const text = mandateText({
      creditorName: issuer.name,
      creditorAddress: issuer.address_lines,
      creditorId: creditor,
      reference,
      scheme: input.scheme,
      mandateType: input.mandate_type,
      accountHolder: input.account_holder,
      iban: account.iban,
      bic: account.bic,
      signedOn,
      signedByName,
      companyName: instance.companyName,
    });
    const pdf = await renderMandatePdf(text, `${issuer.name} · Gläubiger-ID ${creditor} · Mandatsreferenz ${reference}`, signedOn);
    let inserted: MandateRow | undefined;
    try {
      [inserted] = await tx
        .insert(sepaMandates)
        .values({
          instanceId: input.instanceId,
          reference,
          accountHolder: input.account_holder,
          iban: account.iban,
          bic: account.bic,
          scheme: input.scheme,
          mandateType: input.mandate_type,
          signedOn,
          signedBy: actorUserId(actor),
          signedByName,
          creditorId: creditor,
          creditorName: issuer.name,
          mandateText: text,
          pdf,
          pdfSha256: createHash("sha256").update(pdf).digest("hex"),
        })
        .returning();
    } catch (error) {
      if (uniqueViolation(error)) throw new ConflictError("Es gibt bereits ein aktives Lastschriftmandat. Bitte widerrufen Sie es zuerst.");
      throw error;
    }
    await recordActivity(tx, actor, {
      instanceId: input.instanceId,
      action: "sepa.mandate_granted",
      description: `${MANDATE_TITLES[input.scheme]} ${reference} erteilt (Konto ${maskIban(account.iban)}, Kontoinhaber ${input.account_holder})`,
      metadata: { mandate_id: inserted!.id, reference, scheme: input.scheme, mandate_type: input.mandate_type },
    });
    return inserted!;
  });
  return { mandate: presentMandate(row) };
}

/** POST …/sepa/mandates/{id}/revoke: ends an active or flagged mandate; nothing is collected under it any more. */
export async function revokeMandate(actor: Actor, input: { mandateId: number; instanceId?: number }, options?: CommandOptions) {
  const row = await inTransaction(options, async (tx) => {
    const [mandate] = await tx
      .select()
      .from(sepaMandates)
      .where(and(eq(sepaMandates.id, input.mandateId), ...(input.instanceId !== undefined ? [eq(sepaMandates.instanceId, input.instanceId)] : [])))
      .for("update");
    if (!mandate) throw new NotFoundError("Lastschriftmandat nicht gefunden.");
    if (mandate.status === "revoked") throw new ConflictError("Das Lastschriftmandat ist bereits widerrufen.");
    const [updated] = await tx
      .update(sepaMandates)
      .set({ status: "revoked", revokedAt: new Date(), revokedByName: actorName(actor) })
      .where(eq(sepaMandates.id, mandate.id))
      .returning();
    const pending = await tx.select({ id: sepaDebits.id }).from(sepaDebits).where(and(eq(sepaDebits.mandateId, mandate.id), eq(sepaDebits.status, "announced")));
    await recordActivity(tx, actor, {
      instanceId: mandate.instanceId,
      action: "sepa.mandate_revoked",
      description: `Lastschriftmandat ${mandate.reference} widerrufen${pending.length ? ` (${pending.length} angekündigte Lastschrift(en) werden nicht eingezogen – bitte per Überweisung zahlen)` : ""}`,
      metadata: { mandate_id: mandate.id, reference: mandate.reference, uncollected_debits: pending.map((p) => p.id) },
    });
    return updated!;
  });
  return { mandate: presentMandate(row) };
}

/** Mandates of an instance, newest first (the active one first). */
export async function listMandates(instanceId: number) {
  const db = await getDb();
  const rows = await db.select().from(sepaMandates).where(eq(sepaMandates.instanceId, instanceId)).orderBy(desc(sepaMandates.id));
  const order = { active: 0, flagged: 1, revoked: 2 } as const;
  rows.sort((a, b) => order[a.status] - order[b.status] || b.id - a.id);
  return {
    mandates: rows.map(presentMandate),
    creditor_id: config().SEPA_CREDITOR_ID ?? null,
    prenotification_days: config().SEPA_PRENOTIFICATION_DAYS,
  };
}

/** GET …/sepa/mandates/{id}/pdf: the archived PDF (instance-scoped for customers). */
export async function mandatePdf(mandateId: number, instanceId?: number) {
  const db = await getDb();
  const [row] = await db
    .select({ reference: sepaMandates.reference, pdf: sepaMandates.pdf })
    .from(sepaMandates)
    .where(and(eq(sepaMandates.id, mandateId), ...(instanceId !== undefined ? [eq(sepaMandates.instanceId, instanceId)] : [])));
  if (!row) throw new NotFoundError("Lastschriftmandat nicht gefunden.");
  return { filename: `SEPA-Mandat-${row.reference}.pdf`, bytes: row.pdf };
}

/** Active and flagged mandates of many instances (staff lists). */
export async function mandatesOf(instanceIds: number[]) {
  if (instanceIds.length === 0) return [];
  const db = await getDb();
  return db.select().from(sepaMandates).where(and(inArray(sepaMandates.instanceId, instanceIds), ne(sepaMandates.status, "revoked")));
}
