/** Input schemas of the billing API (German messages), reusing the invoice item fields. */
import { isoDateField, itemSchema } from "@/lib/invoices/schemas";
import { z } from "@/lib/validation";
import { CONFLICT_ACTIONS } from "./conflicts";
import { isPeriodKey } from "./period";

const periodField = z
  .string({ error: "Bitte einen Abrechnungszeitraum angeben (JJJJ-MM)." })
  .trim()
  .refine(isPeriodKey, { error: "Der Abrechnungszeitraum muss im Format JJJJ-MM angegeben werden (z. B. 2026-11)." });

export const periodQuery = z.object({ period: periodField });
/**
 * `decisions`: for instances whose period a manual invoice already covers (preview
 * `conflicts`), what to do — bill everything, bill only the uncovered lines, or skip.
 */
export const runBody = z.object({
  period: periodField,
  decisions: z
    .array(
      z.object({
        instance_id: z.coerce.number({ error: "instance_id muss eine Zahl sein." }).int().positive(),
        action: z.enum(CONFLICT_ACTIONS, { error: "Bitte eine Entscheidung wählen (bill, bill_uncovered, skip)." }),
      }),
      { error: "decisions muss eine Liste sein." },
    )
    .max(10000)
    .default([]),
});

export const settingsBody = z.object({
  billing_day: z.coerce
    .number({ error: "Der Abrechnungstag muss eine Zahl sein." })
    .int({ error: "Der Abrechnungstag muss eine ganze Zahl sein." })
    .min(1, { error: "Der Abrechnungstag muss zwischen 1 und 28 liegen." })
    .max(28, { error: "Der Abrechnungstag muss zwischen 1 und 28 liegen." }),
  bill_suspended: z.boolean({ error: "bill_suspended muss true oder false sein." }),
  auto_issue: z.boolean({ error: "auto_issue muss true oder false sein." }),
});
export type SettingsInput = z.infer<typeof settingsBody>;

export const planItemBody = itemSchema
  .extend({
    starts_on: isoDateField("den Beginn"),
    ends_on: z.preprocess((v) => (v === "" ? null : v), isoDateField("das Ende").nullish()).transform((v) => v ?? null),
  })
  .superRefine((value, ctx) => {
    if (value.unit_price < 0) ctx.addIssue({ code: "custom", path: ["unit_price"], message: "Der Einzelpreis darf nicht negativ sein." });
    if (value.ends_on && value.ends_on < value.starts_on) ctx.addIssue({ code: "custom", path: ["ends_on"], message: "Das Ende liegt vor dem Beginn." });
  });
export type PlanItemInput = z.infer<typeof planItemBody>;

export const itemIdQuery = z.object({
  item_id: z.coerce.number({ error: "item_id muss eine Zahl sein." }).int({ error: "item_id muss eine ganze Zahl sein." }).positive({ error: "item_id muss positiv sein." }).max(2_147_483_647, { error: "Diese Position gibt es nicht." }),
});
