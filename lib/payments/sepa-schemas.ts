/** Request schemas of the SEPA routes (also the OpenAPI document's). German messages. */
import { z } from "@/lib/validation";

export const mandateBody = z.object({
  account_holder: z
    .string({ error: "Bitte den Kontoinhaber angeben." })
    .trim()
    .min(2, { error: "Bitte den Kontoinhaber angeben." })
    .max(70, { error: "Der Kontoinhaber darf höchstens 70 Zeichen lang sein." }),
  iban: z.string({ error: "Bitte die IBAN angeben." }).max(42, { error: "Die IBAN ist zu lang." }),
  bic: z
    .string()
    .max(20, { error: "Der BIC ist zu lang." })
    .nullish()
    .transform((v) => (v && v.trim() ? v.trim() : null)),
  scheme: z.enum(["CORE", "B2B"], { error: "Bitte das Verfahren wählen: CORE (Basislastschrift) oder B2B (Firmenlastschrift)." }),
  mandate_type: z.enum(["recurrent", "one_off"], { error: "Bitte die Zahlungsart wählen: recurrent oder one_off." }).default("recurrent"),
  /** The customer admin confirms the mandate text (checkbox). */
  accept: z.literal(true, { error: "Bitte bestätigen Sie den Mandatstext." }),
});
export type MandateBody = z.infer<typeof mandateBody>;

export const revokeBody = z.object({
  confirm: z.literal(true, { error: "Bitte bestätigen Sie den Widerruf." }),
});

export const collectionFileBody = z.object({
  collection_date: z.iso.date({ error: "Bitte das Einzugsdatum als JJJJ-MM-TT angeben." }),
});

export const collectionQuery = z.object({
  collection_date: z.iso.date({ error: "Bitte das Einzugsdatum als JJJJ-MM-TT angeben." }).optional(),
});
