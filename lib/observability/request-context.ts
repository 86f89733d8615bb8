/**
 * The context of the request being handled (request id, and the user and
 * instance once authentication knows them). The custom server opens it around
 * Next's handler; because Next runs route code in the same async chain, route
 * code and the logger see it too. The AsyncLocalStorage lives on globalThis so
 * the server's module copy and the bundled copies share it.
 */
import { AsyncLocalStorage } from "node:async_hooks";

export type RequestContext = { requestId: string; userId?: string; instanceId?: number };

const store = globalThis as unknown as { __manageRequestContext?: AsyncLocalStorage<RequestContext> };

function storage() {
  store.__manageRequestContext ??= new AsyncLocalStorage<RequestContext>();
  return store.__manageRequestContext;
}

export function runWithRequestContext<T>(ctx: RequestContext, fn: () => T): T {
  return storage().run(ctx, fn);
}

export function currentRequestContext(): RequestContext | undefined {
  return storage().getStore();
}

/** Auth wrappers call this once they know who is asking; it shows up in the request's log lines. */
export function setRequestPrincipal(userId: string | undefined, instanceId?: number | null) {
  const ctx = currentRequestContext();
  if (!ctx) return;
  if (userId) ctx.userId = userId;
  if (instanceId !== undefined && instanceId !== null) ctx.instanceId = instanceId;
}
