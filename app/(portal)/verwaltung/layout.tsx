import { requireStaff } from "@/lib/doors/pages/guards";

/** Every page under /verwaltung is for MSP staff only; customers get the 403 "Kein Zugriff" page. */
export default async function StaffLayout({ children }: { children: React.ReactNode }) {
  await requireStaff();
  return <>{children}</>;
}
