/**
 * The query of every activity page (customer manage API, staff per instance, API v1):
 * page, per_page and the filters kind and period (from/to, calendar days in
 * Europe/Berlin, both inclusive). One schema, so the three doors accept and refuse
 * the same input with the same German messages; `activityQueryDoc` is its shape
 * for the OpenAPI document (the parsing schema preprocesses empty fields).
 */
import { ACTIVITY_KIND_KEYS } from "@/lib/activity";
import { isoDateField } from "@/lib/invoices/schemas";
import { pageQuery, z } from "@/lib/validation";

const empty = (v: unknown) => (v === "" || v === null ? undefined : v);

export const activityQuery = z
  .object({
    ...pageQuery,
    kind: z.preprocess(empty, z.enum(ACTIVITY_KIND_KEYS, { error: `Unbekannte Art. Erlaubt: ${ACTIVITY_KIND_KEYS.join(", ")}.` }).optional()),
    from: z.preprocess(empty, isoDateField("Das Startdatum").optional()),
    to: z.preprocess(empty, isoDateField("Das Enddatum").optional()),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { path: ["to"], error: "Das Enddatum darf nicht vor dem Startdatum liegen." });

export const activityQueryDoc = z.object({
  ...pageQuery,
  kind: z.enum(ACTIVITY_KIND_KEYS).optional().meta({ description: "Nur Einträge dieser Art." }),
  from: z.string().date().optional().meta({ description: "Erster Tag (JJJJ-MM-TT, Europe/Berlin), einschließlich." }),
  to: z.string().date().optional().meta({ description: "Letzter Tag (JJJJ-MM-TT, Europe/Berlin), einschließlich; nicht vor `from`." }),
});
