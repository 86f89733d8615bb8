/** Response types of the account pages, derived from the auth services (STYLE principle 8). Type-only: nothing server-side reaches the client. */
import type { SessionView } from "@/lib/auth/account";
import type { ApiKeyView } from "@/lib/auth/api-keys";
import type { PasskeyView } from "@/lib/auth/passkeys";
import type { EmailConfirmationStarted as Started } from "@/lib/auth/email-two-factor";
import type { accountSecondFactors } from "@/lib/auth/second-factor";
import type { startTotpSetup } from "@/lib/auth/totp";

export type Session = SessionView;
export type ApiKey = ApiKeyView;
export type TwoFactorStatus = Awaited<ReturnType<typeof accountSecondFactors>>;
export type Passkey = PasskeyView;
export type TotpSetup = Awaited<ReturnType<typeof startTotpSetup>>;
export type EmailConfirmationStarted = Started;
