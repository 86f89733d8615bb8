import type { Metadata } from "next";
import { ActivityLog } from "@/components/portal/activity-log";

export const metadata: Metadata = { title: "Aktivität" };

export default function ActivityPage() {
  return <ActivityLog />;
}
