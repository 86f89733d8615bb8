import { and, eq, isNull } from "drizzle-orm";
import { getDb } from "@/db/client";
import { apiKeys } from "@/db/schema";
import { ReauthenticationDialog } from "@/components/auth/reauthentication-dialog";
import { PortalShell } from "@/components/portal/shell";
import { requireMe } from "@/lib/doors/pages/guards";
import { config } from "@/lib/config";

export const dynamic = "force-dynamic";

/** Customers see "API" in the navigation once they have an API key (staff always); the page itself stays reachable. */
async function hasApiKeys(userId: string): Promise<boolean> {
  const db = await getDb();
  const [row] = await db
    .select({ id: apiKeys.id })
    .from(apiKeys)
    .where(and(eq(apiKeys.userId, userId), isNull(apiKeys.revokedAt)))
    .limit(1);
  return Boolean(row);
}

export default async function PortalLayout({ children }: { children: React.ReactNode }) {
  const me = await requireMe();
  const apiKeysPresent = me.user.staff ? true : await hasApiKeys(me.user.id);
  return (
    <PortalShell me={me} supportEmail={config().MSP_SUPPORT_EMAIL} hasApiKeys={apiKeysPresent}>
      {children}
      <ReauthenticationDialog />
    </PortalShell>
  );
}
