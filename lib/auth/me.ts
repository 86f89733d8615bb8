import { activeImpersonation, presentImpersonation } from "@/lib/auth/impersonation";
import { loadInstanceContext, presentInstance, type InstanceContext } from "@/lib/instances/present";
import type { Principal } from "./principal";
import { loadRoleLabels } from "./principal";

/** GET /auth/me: the user, their roles and permissions, and their instance. */
export async function describeMe(principal: Principal, ownInstance?: InstanceContext | null) {
  // MSP staff in the read-only "Ansicht als Kunde" see the customer's instance.
  const impersonation = principal.instanceId === null ? await activeImpersonation(principal) : null;
  const instanceId = principal.instanceId ?? impersonation?.instanceId ?? null;
  const ctx =
    instanceId === null ? null : ownInstance?.instance.id === instanceId ? ownInstance : await loadInstanceContext(instanceId);
  const roles = principal.roleLabels
    ? principal.roles.map((key) => ({ key, label: principal.roleLabels![key] ?? key }))
    : await loadRoleLabels(principal.roles);
  return {
    user: {
      id: principal.userId,
      email: principal.email,
      name: principal.name,
      staff: principal.staff,
      roles: roles.map((r) => ({ key: r.key, label: r.label })),
      permissions: [...principal.permissions].sort(),
    },
    instance: ctx
      ? {
          ...presentInstance(ctx),
          suspended: ctx.instance.suspended,
          suspended_reason: ctx.instance.suspended ? ctx.instance.suspendedReason : null,
        }
      : null,
    impersonation: presentImpersonation(impersonation),
  };
}
