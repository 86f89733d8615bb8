import type { Metadata } from "next";
import { TiersEditor } from "@/components/admin/tiers-editor";
import { requireStaff } from "@/lib/doors/pages/guards";

export const metadata: Metadata = { title: "Tarife" };

export default async function TiersPage() {
  const principal = await requireStaff();
  return <TiersEditor canManage={principal.permissions.has("tenant.manage")} />;
}
