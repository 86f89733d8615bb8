/** Input schemas of the dunning API (German messages). */
import { z } from "@/lib/validation";

const days = (label: string) =>
  z.coerce
    .number({ error: `${label} muss eine Zahl sein.` })
    .int({ error: `${label} muss eine ganze Zahl sein.` })
    .min(1, { error: `${label} muss mindestens 1 sein.` })
    .max(365, { error: `${label} darf höchstens 365 sein.` });

export const dunningSettingsBody = z
  .object({
    enabled: z.boolean({ error: "enabled muss true oder false sein." }),
    reminder_days: days("Die Frist der Zahlungserinnerung"),
    dunning_1_days: days("Die Frist der 1. Mahnung"),
    dunning_2_days: days("Die Frist der 2. Mahnung"),
    dunning_2_fee: z.coerce
      .number({ error: "Die Mahngebühr muss eine Zahl sein." })
      .min(0, { error: "Die Mahngebühr darf nicht negativ sein." })
      .max(1000, { error: "Die Mahngebühr darf höchstens 1.000 € betragen." })
      .refine((v) => Number.isInteger(Math.round(v * 100)) && Math.abs(v * 100 - Math.round(v * 100)) < 1e-6, {
        error: "Die Mahngebühr darf höchstens zwei Nachkommastellen haben.",
      }),
    suspend_after_days: days("Die Frist bis zur Sperre"),
  })
  .superRefine((v, ctx) => {
    if (v.dunning_1_days <= v.reminder_days) {
      ctx.addIssue({ code: "custom", path: ["dunning_1_days"], message: "Die 1. Mahnung muss nach der Zahlungserinnerung kommen." });
    }
    if (v.dunning_2_days <= v.dunning_1_days) {
      ctx.addIssue({ code: "custom", path: ["dunning_2_days"], message: "Die 2. Mahnung muss nach der 1. Mahnung kommen." });
    }
  });
export type DunningSettingsInput = z.infer<typeof dunningSettingsBody>;

export const pauseBody = z.object({
  note: z
    .string({ error: "Bitte eine Notiz angeben, warum das Mahnwesen pausiert wird." })
    .trim()
    .min(1, { error: "Bitte eine Notiz angeben, warum das Mahnwesen pausiert wird." })
    .max(500, { error: "Die Notiz darf höchstens 500 Zeichen lang sein." }),
});
export type PauseInput = z.infer<typeof pauseBody>;
