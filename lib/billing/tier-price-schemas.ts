/** Input schemas of the scheduled tier prices (lib/billing/tier-prices.ts), German messages. */
import { tryParseEuroToCents } from "@/lib/money";
import { z } from "@/lib/validation";

/** Highest monthly price a tier may get: 100.000,00 €. */
export const MAX_TIER_PRICE_CENTS = 10_000_000;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar day "YYYY-MM-DD" that exists (no 2026-02-30). */
export function isIsoDay(value: string): boolean {
  if (!ISO_DATE.test(value)) return false;
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(value);
}

/** Euro as number (39.5) or German/English string ("39,50", "39.50 €") → cents. */
const monthlyPriceField = z
  .union([z.string(), z.number()], { error: "Bitte den neuen Monatspreis angeben (Euro, z. B. 39,00)." })
  .transform((value, ctx) => {
    const cents = tryParseEuroToCents(value);
    if (cents === null) {
      ctx.addIssue({ code: "custom", message: "Der Monatspreis muss ein Betrag mit höchstens zwei Nachkommastellen sein (z. B. 39,00)." });
      return z.NEVER;
    }
    if (cents < 0) {
      ctx.addIssue({ code: "custom", message: "Der Monatspreis darf nicht negativ sein." });
      return z.NEVER;
    }
    if (cents > MAX_TIER_PRICE_CENTS) {
      ctx.addIssue({ code: "custom", message: "Der Monatspreis ist zu hoch (höchstens 100.000,00 €)." });
      return z.NEVER;
    }
    return cents;
  });

const effectiveFromField = z
  .string({ error: "Das Datum muss als Text im Format JJJJ-MM-TT angegeben werden." })
  .trim()
  .regex(ISO_DATE, { error: "Das Datum muss im Format JJJJ-MM-TT angegeben werden (z. B. 2026-12-01)." })
  .refine((v) => !ISO_DATE.test(v) || isIsoDay(v), { error: "Dieses Datum gibt es nicht." });

/**
 * POST /api/manage/admin/tiers/{key}/price-changes. Without `effective_from` the
 * price applies from the first day of the next billing period; `dry_run` only
 * answers who would be affected (for the confirmation dialog) and writes nothing.
 */
export const scheduleTierPriceBody = z.object({
  monthly_price: monthlyPriceField,
  effective_from: z.preprocess((v) => (v === "" || v === null ? undefined : v), effectiveFromField.optional()),
  dry_run: z.boolean({ error: "dry_run muss true oder false sein." }).optional().default(false),
});
export type ScheduleTierPriceInput = z.infer<typeof scheduleTierPriceBody>;
