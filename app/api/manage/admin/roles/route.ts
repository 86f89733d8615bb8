import { listRoles } from "@/lib/admin/users";
import { staffRoute } from "@/lib/doors/manage/route";

export const GET = staffRoute({ permission: "tenant.read" }, async () => listRoles());
