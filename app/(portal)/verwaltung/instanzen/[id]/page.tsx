import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { InstanceDetail } from "@/components/admin/instance-detail";
import { requireStaff } from "@/lib/doors/pages/guards";
import { parseIntId } from "@/lib/http/params";

export const metadata: Metadata = { title: "Instanz" };

export default async function InstancePage({ params }: { params: Promise<{ id: string }> }) {
  const principal = await requireStaff();
  const { id } = await params;
  const instanceId = parseIntId(id);
  if (instanceId === null) notFound();
  return <InstanceDetail id={instanceId} currentUserId={principal.userId} canManage={principal.permissions.has("tenant.manage")} />;
}
