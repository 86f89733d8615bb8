/**
 * OpenAPI operations of SEPA direct debit (lib/payments/mandates.ts, collection.ts): the customer's
 * mandates (/api/manage/sepa/*) and the staff's mandates per instance and pain.008 collection files
 * (/api/manage/admin/sepa/*, /api/manage/admin/instances/{id}/sepa-mandates). Spread into openapi.ts.
 */
import type { ZodOpenApiOperationObject, ZodOpenApiPathsObject } from "zod-openapi";
import { collectionFileBody, collectionQuery, mandateBody, revokeBody } from "@/lib/payments/sepa-schemas";
import { z } from "@/lib/validation";
import { manageError } from "./openapi-errors";

const json = <T extends z.ZodType>(schema: T) => ({ "application/json": { schema } });
const err = (description: string) => ({ description, content: json(manageError) });
const session = [{ session: [] as string[] }];
const idPath = (description: string) => ({ path: z.object({ id: z.string().meta({ description, example: "1" }) }) });

const mandate = z
  .object({
    id: z.number().int(),
    instance_id: z.number().int(),
    reference: z.string().meta({ description: "Mandatsreferenz (vom Portal erzeugt)", example: "MP000002-3F9A1C7B20" }),
    account_holder: z.string(),
    iban: z.string().meta({ description: "IBAN in Vierergruppen" }),
    iban_masked: z.string(),
    bic: z.string().nullable(),
    scheme: z.enum(["CORE", "B2B"]),
    scheme_label: z.string(),
    mandate_type: z.enum(["recurrent", "one_off"]),
    mandate_type_label: z.string(),
    signed_on: z.string().meta({ format: "date" }),
    signed_by_name: z.string(),
    creditor_id: z.string().meta({ example: "DE98ZZZ09999999999" }),
    creditor_name: z.string(),
    status: z.enum(["active", "revoked", "flagged"]).meta({ description: "flagged (gesperrt): nach der zweiten Rücklastschrift, keine weiteren Einzüge" }),
    status_label: z.string(),
    return_count: z.number().int(),
    revoked_at: z.string().nullable(),
    revoked_by_name: z.string().nullable(),
    flagged_at: z.string().nullable(),
    flag_reason: z.string().nullable(),
    text: z.string().meta({ description: "Mandatstext, wie erteilt (deutscher SEPA-Mandatstext)" }),
    pdf_sha256: z.string(),
    created_at: z.string().nullable(),
  })
  .meta({ id: "SepaMandate" });
const mandateList = z
  .object({ mandates: z.array(mandate), creditor_id: z.string().nullable(), prenotification_days: z.number().int() })
  .meta({ id: "SepaMandateList" });
const mandateAnswer = z.object({ message: z.string(), mandate }).strict().meta({ id: "SepaMandateAnswer" });
const collectionFile = z
  .object({
    id: z.number().int(),
    collection_date: z.string().meta({ format: "date" }),
    message_id: z.string(),
    transaction_count: z.number().int(),
    control_sum: z.number(),
    control_sum_formatted: z.string(),
    sha256: z.string(),
    created_by_name: z.string().nullable(),
    created_at: z.string().nullable(),
    filename: z.string(),
  })
  .meta({ id: "SepaCollectionFile" });
const collectionPreview = z
  .object({
    collection_date: z.string().meta({ format: "date" }),
    count: z.number().int(),
    total: z.number(),
    total_formatted: z.string(),
    debits: z.array(
      z
        .object({
          debit_id: z.number().int(),
          invoice_id: z.number().int(),
          invoice_number: z.string().nullable(),
          instance_id: z.number().int(),
          announced_date: z.string().meta({ format: "date" }),
          amount: z.number(),
          amount_formatted: z.string(),
          mandate_reference: z.string(),
          scheme: z.enum(["CORE", "B2B"]),
        })
        .strict(),
    ),
  })
  .strict()
  .meta({ id: "SepaCollectionPreview" });
const collectionCreated = z
  .object({
    message: z.string(),
    file: collectionFile,
    transactions: z.array(
      z.object({ invoice_id: z.number().int(), invoice_number: z.string().nullable(), sequence_type: z.enum(["FRST", "RCUR", "OOFF"]), amount: z.number() }).strict(),
    ),
  })
  .strict()
  .meta({ id: "SepaCollectionCreated" });

/** Every operation declares its success answer (JSON schema, or the file it sends); none defaults to "any object". */
function op(tags: string[], summary: string, description: string, extra: Partial<ZodOpenApiOperationObject> & { validated?: boolean; notFound?: string; conflict?: string }): ZodOpenApiOperationObject {
  const { validated, notFound, conflict, ...rest } = extra;
  if (!Object.keys(rest.responses ?? {}).some((status) => status.startsWith("2"))) throw new Error(`OpenAPI: ${summary} ohne Erfolgsantwort`);
  return {
    tags,
    summary,
    description,
    security: session,
    ...rest,
    responses: {
      "401": err("Nicht angemeldet"),
      "403": err("Berechtigung fehlt, Instanz gesperrt oder Ansicht als Kunde (nur lesen)"),
      ...(notFound ? { "404": err(notFound) } : {}),
      ...(conflict ? { "409": err(conflict) } : {}),
      ...(validated ? { "422": err("Ungültige Eingaben (errors je Feld, z. B. iban: „Die IBAN ist ungültig …“)") } : {}),
      ...rest.responses,
    },
  };
}

const CUSTOMER = ["Manage-API"];
const STAFF = ["Verwaltung: Zahlungseingang"];
const pdf = { "200": { description: "application/pdf (archiviertes Mandat)" } };

export const sepaPaths: ZodOpenApiPathsObject = {
  "/api/manage/sepa/mandates": {
    get: op(CUSTOMER, "SEPA-Lastschriftmandate der Instanz", "Permission invoice.read. Das aktive Mandat zuerst; dazu Gläubiger-ID und Vorlauf der Vorabankündigung in Tagen.", {
      responses: { "200": { description: "Mandate", content: json(mandateList) } },
    }),
    post: op(CUSTOMER, "SEPA-Lastschriftmandat erteilen (Kunden-Admin)", "Permission user.manage. IBAN mit Prüfziffer (ibantools), BIC außerhalb Deutschlands Pflicht, Verfahren CORE oder B2B; Mandatsreferenz, Mandatstext und PDF erzeugt das Portal. Ab dann kündigen Rechnungen den Einzug an.", {
      requestBody: { required: true, content: json(mandateBody) },
      validated: true,
      conflict: "Es gibt bereits ein aktives Mandat",
      responses: { "201": { description: "Erteilt", content: json(mandateAnswer) } },
    }),
  },
  "/api/manage/sepa/mandates/{id}/revoke": {
    post: op(CUSTOMER, "SEPA-Lastschriftmandat widerrufen", "Permission user.manage. Body { confirm: true }. Angekündigte, noch nicht eingereichte Lastschriften werden nicht mehr eingezogen.", {
      requestParams: idPath("Mandats-ID"),
      requestBody: { required: true, content: json(revokeBody) },
      validated: true,
      notFound: "Mandat nicht gefunden",
      conflict: "Bereits widerrufen",
      responses: { "200": { description: "Widerrufen", content: json(mandateAnswer) } },
    }),
  },
  "/api/manage/sepa/mandates/{id}/pdf": {
    get: op(CUSTOMER, "Mandat als PDF", "Permission invoice.read. Das bei der Erteilung archivierte PDF.", { requestParams: idPath("Mandats-ID"), notFound: "Mandat nicht gefunden", responses: pdf }),
  },
  "/api/manage/admin/instances/{id}/sepa-mandates": {
    get: op(STAFF, "SEPA-Mandate einer Instanz", "Permission invoice.read. Aktive, gesperrte (Rücklastschriften) und widerrufene Mandate.", {
      requestParams: idPath("Instanz-ID"),
      notFound: "Instanz nicht gefunden",
      responses: { "200": { description: "Mandate", content: json(mandateList) } },
    }),
  },
  "/api/manage/admin/sepa/mandates/{id}/pdf": {
    get: op(STAFF, "Mandat als PDF", "Permission invoice.read.", { requestParams: idPath("Mandats-ID"), notFound: "Mandat nicht gefunden", responses: pdf }),
  },
  "/api/manage/admin/sepa/mandates/{id}/revoke": {
    post: op(STAFF, "Mandat widerrufen (Widerruf des Kunden erfassen)", "Permission invoice.write. Body { confirm: true }.", {
      requestParams: idPath("Mandats-ID"),
      requestBody: { required: true, content: json(revokeBody) },
      validated: true,
      notFound: "Mandat nicht gefunden",
      conflict: "Bereits widerrufen",
      responses: { "200": { description: "Widerrufen", content: json(mandateAnswer) } },
    }),
  },
  "/api/manage/admin/sepa/collections": {
    get: op(STAFF, "Lastschriftdateien (pain.008) und Vorschau", "Permission invoice.read. Mit ?collection_date=JJJJ-MM-TT: was eine Datei für diesen Tag einziehen würde.", {
      requestParams: { query: collectionQuery },
      validated: true,
      responses: { "200": { description: "Dateien und Vorschau", content: json(z.object({ files: z.array(collectionFile), preview: collectionPreview.nullable() }).strict()) } },
    }),
    post: op(STAFF, "Lastschriftdatei (pain.008.001.08) für ein Einzugsdatum erstellen", "Permission invoice.write. Alle angekündigten Lastschriften bis zu diesem Datum mit aktivem Mandat; Sequenztyp FRST/RCUR/OOFF je Mandat. Eine Rechnung steht nie in zwei Dateien.", {
      requestBody: { required: true, content: json(collectionFileBody) },
      validated: true,
      conflict: "Nichts fällig oder bereits eingereicht",
      responses: { "201": { description: "Erstellt", content: json(collectionCreated) } },
    }),
  },
  "/api/manage/admin/sepa/collections/{id}/xml": {
    get: op(STAFF, "Lastschriftdatei herunterladen", "Permission invoice.read. Die gespeicherte pain.008-Datei zum Hochladen ins Online-Banking.", {
      requestParams: idPath("Datei-ID"),
      notFound: "Lastschriftdatei nicht gefunden",
      responses: { "200": { description: "application/xml (pain.008.001.08)" } },
    }),
  },
};
