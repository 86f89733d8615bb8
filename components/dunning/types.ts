/** Response types of the dunning APIs, derived from the services (STYLE principle 8). */
import type { getDunningState } from "@/lib/dunning/pause";
import type { paymentInfo } from "@/lib/dunning/payment-info";
import type { getDunningSettings } from "@/lib/dunning/settings";

export type DunningSettings = Awaited<ReturnType<typeof getDunningSettings>>;
export type DunningState = Awaited<ReturnType<typeof getDunningState>>;
export type PaymentInfo = Awaited<ReturnType<typeof paymentInfo>>;
