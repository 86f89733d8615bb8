/** Response types of the billing API, derived from the services (STYLE principle 8). */
import type { getBillingSettings } from "@/lib/billing/settings";
import type { BillingPreview, BillingRunResult } from "@/lib/billing/run";

export type { BillingPreview, BillingRunResult };
export type BillingSettings = Awaited<ReturnType<typeof getBillingSettings>>;
