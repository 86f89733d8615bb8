import { NextResponse, type NextRequest } from "next/server";
import { setRequestPrincipal } from "@/lib/observability/request-context";
import { DomainError, ForbiddenError, isInfrastructureError, loggableError, ServiceUnavailableError, UnauthorizedError } from "@/lib/errors";
import { logger } from "@/lib/observability/logger";
import { authenticateRequest, type RequestAuth } from "@/lib/auth/request-auth";
import type { Permission } from "@/lib/permissions";
import { assertRecentAuthentication } from "@/lib/auth/reauthentication";
import { assertSecondFactorSetUp } from "@/lib/auth/second-factor-policy";
import { loadInstanceContext, type InstanceContext } from "@/lib/instances/present";
import { activeImpersonation, READ_ONLY_MESSAGE, type Impersonation } from "@/lib/auth/impersonation";
import { clientIp } from "@/lib/http/client-ip";
import { isSafeMethod } from "@/lib/http/methods";
import { suspendedMessage } from "@/lib/doors/kit/suspended";
import { NO_STORE, routeHandler, type RouteParams, type RouteResult } from "@/lib/doors/kit/route-handler";

const wrap = routeHandler((error) => errorResponse(error));

export type PublicContext = { req: NextRequest; ip: string; params: RouteParams };
export type SessionContext = PublicContext & { auth: RequestAuth };
export type InstanceScopedContext = SessionContext & { instance: InstanceContext };
export type StaffContext = SessionContext & { impersonation: Impersonation | null };

/**
 * Route handlers of /api/manage: thin wrappers that authenticate, check the
 * instance's suspension and map domain errors to `{ message, errors? }`.
 */
export function publicRoute(handler: (ctx: PublicContext) => Promise<RouteResult>) {
  return wrap(async (req, params) => handler({ req, ip: clientIp(req.headers), params }));
}

/**
 * The caller's own account (`/auth/*`). During the read-only customer view a
 * staff member changes nothing here either, except what ends the view
 * (`allowWhileImpersonating`: logout).
 */
export function sessionRoute(
  handler: (ctx: SessionContext) => Promise<RouteResult>,
  options: { allowWhileImpersonating?: boolean; /** Reachable while a required second factor is still being set up. */ allowBeforeSecondFactor?: boolean } = {},
) {
  return wrap(async (req, params) => {
    const auth = await requireAuth(req, options);
    if (!options.allowWhileImpersonating) await refuseWritesInCustomerView(req, auth);
    return handler({ req, ip: clientIp(req.headers), params, auth });
  });
}

/** Every write of a staff member in the read-only "Ansicht als Kunde" is refused (403, `read_only: true`). */
export async function refuseWritesInCustomerView(req: NextRequest, auth: Pick<RequestAuth, "principal">) {
  if (isSafeMethod(req) || !auth.principal.staff) return;
  if (await activeImpersonation(auth.principal)) throw new ForbiddenError(READ_ONLY_MESSAGE, { read_only: true });
}

/**
 * Instance-scoped endpoints. Suspended instances reach only those marked
 * `allowSuspended` (the seed allows /auth/* and /status).
 */
export function instanceRoute(
  options: { permission?: Permission; allowSuspended?: boolean; /** A sensitive change: password confirmed within 10 minutes (403 otherwise). */ recentAuthentication?: boolean },
  handler: (ctx: InstanceScopedContext) => Promise<RouteResult>,
) {
  return wrap(async (req, params) => {
    const auth = await requireAuth(req);
    const { principal } = auth;
    let instanceId = principal.instanceId;
    if (instanceId === null) {
      // MSP staff in the read-only "Ansicht als Kunde": GETs see that instance, nothing else is allowed.
      const impersonation = await activeImpersonation(principal);
      if (!impersonation) throw new ForbiddenError("Diesem Konto ist keine Instanz zugeordnet.");
      if (!isSafeMethod(req)) throw new ForbiddenError(READ_ONLY_MESSAGE, { read_only: true });
      instanceId = impersonation.instanceId;
    }
    // The own instance came with the session query; only the staff's customer view loads it here.
    const instance = auth.instance?.instance.id === instanceId ? auth.instance : await loadInstanceContext(instanceId);
    if (instance.instance.suspended && !options.allowSuspended) {
      throw new ForbiddenError(suspendedMessage(instance.instance.suspendedReason), { suspended: true });
    }
    if (options.permission && !principal.permissions.has(options.permission)) {
      throw new ForbiddenError("Dafür fehlt Ihnen die Berechtigung.", { missing: options.permission });
    }
    if (options.recentAuthentication && !isSafeMethod(req)) await assertRecentAuthentication(principal);
    return handler({ req, ip: clientIp(req.headers), params, auth, instance });
  });
}

/**
 * Endpoints for MSP staff only (`/api/manage/admin/*`). A customer gets 403;
 * during the read-only customer view every write is refused, except the
 * endpoints marked `allowWhileImpersonating` (ending the view).
 */
export function staffRoute(
  options: { permission?: Permission; allowWhileImpersonating?: boolean },
  handler: (ctx: StaffContext) => Promise<RouteResult>,
) {
  return wrap(async (req, params) => {
    const auth = await requireAuth(req);
    const { principal } = auth;
    if (!principal.staff) {
      throw new ForbiddenError("Kein Zugriff: Dieser Bereich ist MSP-Mitarbeitern vorbehalten.");
    }
    if (options.permission && !principal.permissions.has(options.permission)) {
      throw new ForbiddenError("Dafür fehlt Ihnen die Berechtigung.", { missing: options.permission });
    }
    const impersonation = await activeImpersonation(principal);
    if (impersonation && !options.allowWhileImpersonating && !isSafeMethod(req)) {
      throw new ForbiddenError(READ_ONLY_MESSAGE, { read_only: true });
    }
    return handler({ req, ip: clientIp(req.headers), params, auth, impersonation });
  });
}

async function requireAuth(req: NextRequest, options: { allowBeforeSecondFactor?: boolean } = {}): Promise<RequestAuth> {
  const auth = await authenticateRequest(req);
  if (!auth) throw new UnauthorizedError("Nicht angemeldet oder Sitzung abgelaufen.");
  // The request's log lines name who made it (never a secret).
  setRequestPrincipal(auth.principal.userId, auth.principal.instanceId);
  // A required authenticator app or passkey still missing: only its set-up (and /auth/me, logout) is open.
  if (!options.allowBeforeSecondFactor) {
    await assertSecondFactorSetUp(auth.principal, { instanceRule: auth.instance ? auth.instance.instance.requireTwoFactor : undefined });
  }
  return auth;
}

export function errorResponse(error: unknown): NextResponse {
  if (error instanceof DomainError) {
    const body: Record<string, unknown> = { message: error.message, ...error.details };
    if ("fields" in error) body.errors = error.fields;
    return NextResponse.json(body, { status: error.status, headers: { ...NO_STORE, ...error.headers } });
  }
  if (isInfrastructureError(error)) {
    logger().error({ err: loggableError(error), family: "manage" }, "infrastructure unavailable");
    return errorResponse(new ServiceUnavailableError());
  }
  logger().error({ err: loggableError(error), family: "manage" }, "unexpected error");
  return NextResponse.json({ message: "Interner Fehler. Bitte später erneut versuchen." }, { status: 500, headers: NO_STORE });
}
