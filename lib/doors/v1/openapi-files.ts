/**
 * OpenAPI of the files door (`/api/files/*`): downloads authorised by a signed, short-lived link
 * instead of a session, and the `payment` block of `/api/manage/status` that hands out those links
 * to a suspended customer (who reaches only `/auth/*` and `/status` of the manage API).
 */
import type { ZodOpenApiPathsObject } from "zod-openapi";
import { z } from "@/lib/validation";

const fileError = z
  .object({ message: z.string(), reason: z.enum(["invalid", "expired"]).optional() })
  .meta({ id: "FileLinkError", example: { message: "Der Download-Link ist abgelaufen (gültig 15 Minuten). Bitte laden Sie die Statusübersicht neu, um einen neuen Link zu erhalten.", reason: "expired" } });
const err = (description: string) => ({ description, content: { "application/json": { schema: fileError } } });

const pdfDownload = z
  .object({
    url: z.string().meta({ description: "Pfad auf diesem Portal: /api/files/invoices/<id>.pdf?expires=…&signature=…", example: "/api/files/invoices/42.pdf?expires=1796400900&signature=…" }),
    expires_at: z.string().meta({ description: "Ablauf des Links (15 Minuten nach der Abfrage von /status)", example: "2026-12-02T10:15:00+00:00" }),
  })
  .meta({ id: "SignedPdfDownload" });

/** `payment` of GET /api/manage/status: only while the instance is suspended, otherwise null. */
export const statusPayment = z
  .object({
    open_invoices: z.array(
      z.object({
        number: z.string(),
        amount: z.number(),
        amount_formatted: z.string(),
        due_date: z.string().nullable(),
        overdue: z.boolean(),
        pdf_download: pdfDownload.nullable().meta({ description: "Signierter Download-Link des archivierten PDFs, 15 Minuten gültig; null ohne die Permission invoice.read" }),
      }),
    ),
    amount_due: z.number(),
    amount_due_formatted: z.string(),
    lifted_on_payment: z.boolean().meta({
      description: "true: das Mahnwesen hat gesperrt; sobald keine Rechnung mehr überfällig ist (Zahlung per Kontoauszug-Import oder von Hand gebucht), wird die Sperre automatisch aufgehoben und der Kunde per E-Mail benachrichtigt. false: Sperre durch den Support.",
    }),
    bank_details: z.object({ account_holder: z.string(), iban: z.string(), bic: z.string(), bank_name: z.string() }).nullable(),
    girocode: z.object({ payload: z.string() }).nullable(),
  })
  .nullable()
  .meta({ id: "StatusPayment", description: "Nur bei gesperrter Instanz: offene Rechnungen mit PDF-Links, Betrag, Bankverbindung und GiroCode; sonst null" });

export const filesPaths: ZodOpenApiPathsObject = {
  "/api/files/invoices/{file}": {
    get: {
      tags: ["Dateien"],
      summary: "Rechnungs-PDF über einen signierten Link (aus payment.open_invoices[].pdf_download von /api/manage/status)",
      description:
        "Ohne Sitzung: der Link selbst berechtigt, 15 Minuten lang und nur für diese eine Rechnung (HMAC über Rechnungs-ID und Ablauf). " +
        "Ausgeliefert werden die archivierten Bytes des ausgestellten PDFs (nie neu erzeugt), als Download, nicht zwischengespeichert (Cache-Control: private, no-store). " +
        "So können Kunden einer gesperrten Instanz die Rechnungen lesen, die sie bezahlen sollen, obwohl ihnen von der Manage-API nur /auth/* und /status offen stehen.",
      security: [],
      requestParams: {
        path: z.object({ file: z.string().meta({ description: "<Rechnungs-ID>.pdf", example: "42.pdf" }) }),
        query: z.object({
          expires: z.string().meta({ description: "Ablauf (Unix-Sekunden), Teil der Signatur" }),
          signature: z.string().meta({ description: "HMAC-SHA256 (base64url)" }),
        }),
      },
      responses: {
        "200": {
          description: "Das archivierte PDF (Content-Disposition: attachment)",
          content: { "application/pdf": { schema: z.string().meta({ format: "binary" }) } },
        },
        "403": err("Link ungültig: Signatur, Rechnungs-ID oder Ablauf verändert (reason: invalid)"),
        "404": err("Rechnung nicht gefunden"),
        "410": err("Link abgelaufen (reason: expired): /status erneut abrufen"),
      },
    },
  },
};
