import { staffDashboard } from "@/lib/admin/dashboard";
import { staffRoute } from "@/lib/doors/manage/route";

export const GET = staffRoute({ permission: "tenant.read" }, async () => staffDashboard());
