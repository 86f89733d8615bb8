/** Response types of the account pages, derived from the auth services (STYLE principle 8). Type-only: nothing server-side reaches the client. */
import type { SessionView } from "@/lib/auth/account";
import type { ApiKeyView } from "@/lib/auth/api-keys";
import type { twoFactorStatus } from "@/lib/auth/two-factor";

export type Session = SessionView;
export type ApiKey = ApiKeyView;
export type TwoFactorStatus = Awaited<ReturnType<typeof twoFactorStatus>>;
