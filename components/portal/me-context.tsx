"use client";

import { createContext, useContext } from "react";
import type { Me } from "@/lib/doors/pages/guards";
import type { Permission } from "@/lib/permissions";

/**
 * What the signed-in user may do, for client components deep in a page.
 * The server enforces every permission again; this only decides what the UI
 * offers, so nobody clicks a button just to read "403".
 *
 * In the read-only "Ansicht als Kunde" (staff impersonation) every action is
 * shown but disabled with READ_ONLY_REASON.
 */
export type Access = {
  me: Me | null;
  readOnly: boolean;
  can: (permission: Permission) => boolean;
};

export const READ_ONLY_REASON = "Nur Ansicht: In der „Ansicht als Kunde“ sind keine Änderungen möglich.";

const AccessContext = createContext<Access>({ me: null, readOnly: false, can: () => true });

export function accessOf(me: Me): Access {
  const permissions = new Set(me.user.permissions);
  const readOnly = Boolean(me.impersonation);
  return { me, readOnly, can: (permission) => permissions.has(permission) };
}

export function AccessProvider({ me, children }: { me: Me; children: React.ReactNode }) {
  return <AccessContext.Provider value={accessOf(me)}>{children}</AccessContext.Provider>;
}

export function useAccess(): Access {
  return useContext(AccessContext);
}

/**
 * Why an action is unavailable (null = allowed): read-only view first, then
 * the missing permission, in words the user understands.
 */
export function useDeniedReason(permission: Permission, what: string): string | null {
  const access = useAccess();
  if (access.readOnly) return READ_ONLY_REASON;
  if (!access.can(permission)) return `Ihnen fehlt die Berechtigung, ${what}.`;
  return null;
}
