/**
 * Shapes of the /api/manage/admin answers, derived from the services that
 * produce them: when a service changes, the staff UI fails to compile
 * instead of drifting.
 */
import type { listActivity } from "@/lib/activity";
import type { staffDashboard } from "@/lib/admin/dashboard";
import type { getInstanceDetail, listInstances } from "@/lib/admin/instances";
import type { listTiers } from "@/lib/admin/tiers";
import type { listRoles, listUsers } from "@/lib/admin/users";

export type AdminInstanceListResponse = Awaited<ReturnType<typeof listInstances>>;
export type AdminInstance = AdminInstanceListResponse["instances"][number];
export type AdminInstanceDetail = Awaited<ReturnType<typeof getInstanceDetail>>["instance"];

export type Meta = AdminInstanceListResponse["meta"];

export type AdminUserListResponse = Awaited<ReturnType<typeof listUsers>>;
export type AdminUser = AdminUserListResponse["users"][number];

export type Role = Awaited<ReturnType<typeof listRoles>>["roles"][number];

export type Tier = Awaited<ReturnType<typeof listTiers>>["tiers"][number];

export type ActivityLogResponse = Awaited<ReturnType<typeof listActivity>>;
export type StaffDashboard = Awaited<ReturnType<typeof staffDashboard>>;
export type InstanceActivityRow = ActivityLogResponse["logs"][number];
export type DashboardActivityRow = StaffDashboard["recent_activity"][number];
/** One activity entry; the staff dashboard adds the instance it belongs to. */
export type ActivityRow = InstanceActivityRow & Partial<Omit<DashboardActivityRow, keyof InstanceActivityRow>>;
