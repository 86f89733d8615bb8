import type { Metadata } from "next";
import { InstancesList } from "@/components/admin/instances-list";
import { requireStaff } from "@/lib/doors/pages/guards";

export const metadata: Metadata = { title: "Instanzen" };

export default async function InstancesPage() {
  await requireStaff();
  return <InstancesList />;
}
