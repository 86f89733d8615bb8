import { PortalShell } from "@/components/portal/shell";
import { requireMe } from "@/lib/auth/page-guard";
import { config } from "@/lib/config";

export const dynamic = "force-dynamic";

export default async function PortalLayout({ children }: { children: React.ReactNode }) {
  const me = await requireMe();
  return <PortalShell me={me} supportEmail={config().MSP_SUPPORT_EMAIL}>{children}</PortalShell>;
}
