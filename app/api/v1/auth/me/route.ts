import { describeMe } from "@/lib/auth/me";
import { v1Route } from "@/lib/v1/route";
import { tenantClaims } from "@/lib/v1/tokens";
import { twoFactorStatus } from "@/lib/v1/account";

export const GET = v1Route({}, async ({ auth }) => {
  const me = await describeMe(auth.principal);
  const tenant = await tenantClaims(auth.principal);
  const twoFactor = await twoFactorStatus(auth.principal.userId);
  return {
    ...me,
    ...tenant,
    two_factor_enabled: twoFactor.two_factor_enabled,
    auth: { via: auth.via, scope: auth.scope },
  };
});
