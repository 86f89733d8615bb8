import type { Metadata } from "next";
import { UsersPanel } from "@/components/admin/users-panel";
import { requireStaff } from "@/lib/doors/pages/guards";

export const metadata: Metadata = { title: "Mitarbeiter" };

export default async function StaffUsersPage() {
  const principal = await requireStaff("user.manage");
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">MSP-Mitarbeiter</h1>
      <UsersPanel instanceId={null} title="Mitarbeiter und Rollen" currentUserId={principal.userId} />
    </div>
  );
}
