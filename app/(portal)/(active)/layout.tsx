import { SuspendedNotice } from "@/components/portal/suspended-notice";
import { requireMe } from "@/lib/doors/pages/guards";

/** Sections a suspended instance may not open (the seed allows only /auth/* and /status). */
export default async function ActiveInstanceLayout({ children }: { children: React.ReactNode }) {
  const me = await requireMe();
  if (me.instance?.suspended) return <SuspendedNotice reason={me.instance.suspended_reason} />;
  return <>{children}</>;
}
