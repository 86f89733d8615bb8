import { listRoles } from "@/lib/admin/users";
import { staffRoute } from "@/lib/http/manage-route";

export const GET = staffRoute({ permission: "tenant.read" }, async () => listRoles());
