import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { LoginForm } from "@/components/auth/login-form";
import { currentPrincipal } from "@/lib/auth/current";
import { endedSessionNotice } from "@/lib/auth/login-redirect";
import { safeReturnPath } from "@/lib/auth/return-to";

export const metadata: Metadata = { title: "Anmelden" };

/**
 * `next`: the page to return to after sign-in (same origin only); `abgelaufen=1` only when a session had existed.
 * A session ended on another device or by a password change says so, whatever the query says.
 */
export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const params = await searchParams;
  const next = safeReturnPath(params.next);
  if (await currentPrincipal()) redirect(next);
  const ended = await endedSessionNotice();
  return (
    <LoginForm
      expired={params.abgelaufen === "1"}
      ended={ended}
      reset={params.zurueckgesetzt === "1"}
      next={next}
      firstVisit={!ended && params.abgelaufen !== "1" && params.zurueckgesetzt !== "1"}
    />
  );
}
