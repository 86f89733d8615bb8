import { describeMe } from "@/lib/auth/me";
import { tenantClaims } from "@/lib/auth/token-families";
import { twoFactorStatus } from "@/lib/auth/two-factor";
import { v1Route } from "@/lib/doors/v1/route";

export const GET = v1Route({ allowBeforeSecondFactor: true }, async ({ auth }) => {
  // Independent reads: one round trip of latency.
  const [me, tenant, twoFactor] = await Promise.all([describeMe(auth.principal), tenantClaims(auth.principal), twoFactorStatus(auth.principal.userId)]);
  return {
    ...me,
    ...tenant,
    two_factor_enabled: twoFactor.two_factor_enabled,
    auth: { via: auth.via, scope: auth.scope },
  };
});
