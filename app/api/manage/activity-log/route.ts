import { ACTIVITY_KIND_KEYS, listActivity } from "@/lib/activity";
import { parseQuery } from "@/lib/http/body";
import { instanceRoute } from "@/lib/doors/manage/route";
import { isoDateField } from "@/lib/invoices/schemas";
import { pageQuery, z } from "@/lib/validation";

const empty = (v: unknown) => (v === "" || v === null ? undefined : v);

const schema = z
  .object({
    ...pageQuery,
    kind: z.preprocess(empty, z.enum(ACTIVITY_KIND_KEYS, { error: `Unbekannte Art. Erlaubt: ${ACTIVITY_KIND_KEYS.join(", ")}.` }).optional()),
    from: z.preprocess(empty, isoDateField("Das Startdatum").optional()),
    to: z.preprocess(empty, isoDateField("Das Enddatum").optional()),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { path: ["to"], error: "Das Enddatum darf nicht vor dem Startdatum liegen." });

export const GET = instanceRoute({ permission: "activity.read" }, async ({ req, instance }) => {
  const { page, per_page, kind, from, to } = parseQuery(req, schema);
  return listActivity(instance.instance.id, { page, perPage: per_page }, { kind, from, to });
});
