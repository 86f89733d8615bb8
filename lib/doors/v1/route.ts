import type { NextRequest } from "next/server";
import { clientIp } from "@/lib/http/client-ip";
import { isSafeMethod } from "@/lib/http/methods";
import type { Permission } from "@/lib/permissions";
import { enforceRateLimit } from "@/lib/rate-limit";
import { suspendedMessage } from "@/lib/doors/kit/suspended";
import { activeImpersonation, READ_ONLY_MESSAGE } from "@/lib/auth/impersonation";
import { assertRecentAuthentication } from "@/lib/auth/reauthentication";
import { assertSecondFactorSetUp } from "@/lib/auth/second-factor-policy";
import { setRequestPrincipal } from "@/lib/observability/request-context";
import { authenticateV1, type V1Auth } from "./auth";
import { permissionDenied, V1Error, v1ErrorResponse } from "./errors";
import { V1_RATE_LIMITS } from "./rate-limits";
import { resolveTenant, type TenantScope } from "./tenant";
import { routeHandler, type RouteParams, type RouteResult } from "@/lib/doors/kit/route-handler";

const wrap = routeHandler((error) => v1ErrorResponse(error));

export type V1PublicContext = { req: NextRequest; ip: string; params: RouteParams };
export type V1Context = V1PublicContext & { auth: V1Auth };
export type V1TenantContext = V1Context & { tenant: TenantScope };

/** Endpoints without a caller identity (login, 2FA, refresh, OpenAPI). */
export function v1Public(handler: (ctx: V1PublicContext) => Promise<RouteResult>) {
  return wrap(async (req, params) => handler({ req, ip: clientIp(req.headers), params }));
}

export type V1Options = {
  permission?: Permission;
  /** Overrides the method-derived default (every non-GET is a write). */
  write?: boolean;
  /** Only MSP staff (cross-tenant callers). */
  staffOnly?: boolean;
  /** Allowed during the read-only customer view (only what ends it: logout). */
  allowWhileImpersonating?: boolean;
  /**
   * A sensitive change: the login session must have confirmed the password or
   * a passkey within 10 minutes (403 `reauthentication_required`). `account`:
   * never with a personal access token; `automation`: a read_write key may (webhooks).
   */
  recentAuthentication?: "account" | "automation";
  /** Reachable while a required authenticator app or passkey is still being set up (the set-up itself, /auth/me, logout). */
  allowBeforeSecondFactor?: boolean;
};

/**
 * Authenticated v1 endpoints: bearer JWT / PAT (or the portal's cookie),
 * 600 requests per minute and user, PAT scope, permission check.
 */
export function v1Route(options: V1Options, handler: (ctx: V1Context) => Promise<RouteResult>) {
  return wrap(async (req, params) => {
    const ctx = await authorize(req, params, options);
    return handler(ctx);
  });
}

/**
 * Tenant-scoped v1 endpoints: as v1Route, plus the tenant of the request
 * (own tenant, or ?tenant_id for staff). A suspended tenant's own users are refused.
 */
export function v1TenantRoute(options: V1Options, handler: (ctx: V1TenantContext) => Promise<RouteResult>) {
  return wrap(async (req, params) => {
    const ctx = await authorize(req, params, options);
    const tenant = await resolveTenant(ctx.auth.principal, req, ctx.auth.ownInstance);
    if (tenant.kind === "tenant" && tenant.suspended && !ctx.auth.principal.staff) {
      throw new V1Error(403, "tenant_suspended", suspendedMessage(null));
    }
    return handler({ ...ctx, tenant });
  });
}

async function authorize(req: NextRequest, params: RouteParams, options: V1Options): Promise<V1Context> {
  const auth = await authenticateV1(req);
  setRequestPrincipal(auth.principal.userId, auth.principal.instanceId);
  await enforceRateLimit(`v1:user:${auth.principal.userId}`, V1_RATE_LIMITS.user);
  if (!options.allowBeforeSecondFactor) await assertSecondFactorSetUp(auth.principal, { instanceRule: auth.ownInstance?.requireTwoFactor });
  const write = options.write ?? !isSafeMethod(req);
  if (write && auth.scope === "read") {
    throw new V1Error(403, "insufficient_scope", "Dieser API-Schlüssel darf nur lesen (Scope „read“).", { required_scope: "read_write" });
  }
  if (options.permission && !auth.principal.permissions.has(options.permission)) throw permissionDenied(options.permission);
  if (options.staffOnly && !auth.principal.staff) {
    throw new V1Error(403, "forbidden", "Dieser Endpunkt ist nur für MSP-Mitarbeiter.");
  }
  // The portal's own session in the read-only customer view: no write through API v1 either (logout ends the session).
  if (!isSafeMethod(req) && !options.allowWhileImpersonating && auth.principal.staff && (await activeImpersonation(auth.principal))) {
    throw new V1Error(403, "read_only", READ_ONLY_MESSAGE, { read_only: true });
  }
  if (options.recentAuthentication) {
    if (auth.via !== "pat") await assertRecentAuthentication(auth.principal);
    else if (options.recentAuthentication === "account") {
      throw new V1Error(403, "forbidden", "Diese Änderung ist mit einem API-Schlüssel nicht möglich. Bitte mit E-Mail und Passwort anmelden.");
    }
  }
  return { req, ip: clientIp(req.headers), params, auth };
}

export function requirePermission(auth: V1Auth, permission: Permission) {
  if (!auth.principal.permissions.has(permission)) throw permissionDenied(permission);
}
