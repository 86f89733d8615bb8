import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { InstanceDetail } from "@/components/admin/instance-detail";
import { requireStaff } from "@/lib/admin/page-guard";

export const metadata: Metadata = { title: "Instanz" };

export default async function InstancePage({ params }: { params: Promise<{ id: string }> }) {
  const principal = await requireStaff();
  const { id } = await params;
  if (!/^\d{1,9}$/.test(id)) notFound();
  return <InstanceDetail id={Number(id)} currentUserId={principal.userId} canManage={principal.permissions.has("tenant.manage")} />;
}
