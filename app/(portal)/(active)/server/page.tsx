import type { Metadata } from "next";
import { ServerControl } from "@/components/server/server-control";
import { ServerMetrics } from "@/components/server/server-metrics";
import { ServerUptime } from "@/components/server/server-uptime";
import { ServerBackups } from "@/components/server/server-backups";
import { EmptyState } from "@/components/ui/card";
import { requireMe } from "@/lib/doors/pages/guards";

export const metadata: Metadata = { title: "Server" };

export default async function ServerPage() {
  const me = await requireMe();
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-2xl font-bold">Server</h1>
        <p className="text-sm text-slate-500">Status, Steuerung und Auslastung Ihres Hetzner-Servers.</p>
      </div>
      {me.instance ? (
        <>
          <ServerControl />
          <ServerMetrics />
          <ServerUptime />
          <ServerBackups />
        </>
      ) : (
        <EmptyState title="Sie sind als MSP-Mitarbeiter angemeldet.">Ihrem Konto ist keine Kundeninstanz zugeordnet.</EmptyState>
      )}
    </div>
  );
}
