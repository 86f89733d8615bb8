/** Named permissions, granted through roles. */
export const PERMISSIONS = [
  "host.read",
  "host.power",
  "host.delete",
  "domain.read",
  "domain.write",
  "invoice.read",
  "invoice.write",
  "activity.read",
  "user.manage",
  "tenant.read",
  "tenant.manage",
  "webhook.manage",
] as const;

export type Permission = (typeof PERMISSIONS)[number];

export type RoleDefinition = { key: string; label: string; staff: boolean; permissions: Permission[] };

/** Built-in roles, written by the seed and kept in the roles table. */
export const BUILT_IN_ROLES: RoleDefinition[] = [
  { key: "super_admin", label: "Super-Admin (MSP)", staff: true, permissions: [...PERMISSIONS] },
  {
    key: "msp_support",
    label: "Support (MSP)",
    staff: true,
    permissions: ["host.read", "host.power", "domain.read", "invoice.read", "activity.read", "tenant.read"],
  },
  {
    key: "customer_admin",
    label: "Kunden-Administrator",
    staff: false,
    permissions: ["host.read", "host.power", "domain.read", "domain.write", "invoice.read", "activity.read", "user.manage", "webhook.manage"],
  },
  {
    key: "customer_viewer",
    label: "Kunden-Leser",
    staff: false,
    permissions: ["host.read", "domain.read", "invoice.read", "activity.read"],
  },
];
