import { staffDashboard } from "@/lib/admin/dashboard";
import { staffRoute } from "@/lib/http/manage-route";

export const GET = staffRoute({ permission: "tenant.read" }, async () => staffDashboard());
