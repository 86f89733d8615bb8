import type { Metadata } from "next";
import { DomainsOverview } from "@/components/domains/domains-overview";

export const metadata: Metadata = { title: "Domains" };

export default function DomainsPage() {
  return <DomainsOverview />;
}
