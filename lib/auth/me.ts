import { loadInstanceContext, presentInstance } from "@/lib/instances/present";
import type { Principal } from "./principal";
import { loadRoleLabels } from "./principal";

/** GET /auth/me: the user, their roles and permissions, and their instance. */
export async function describeMe(principal: Principal) {
  const ctx = principal.instanceId === null ? null : await loadInstanceContext(principal.instanceId);
  const roles = await loadRoleLabels(principal.roles);
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
  };
}
