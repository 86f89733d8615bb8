import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { LoginForm } from "@/components/auth/login-form";
import { currentPrincipal } from "@/lib/auth/current";
import { safeReturnPath } from "@/lib/auth/return-to";

export const metadata: Metadata = { title: "Anmelden" };

/** `next`: the page to return to after sign-in (same origin only); `abgelaufen=1` only when a session had existed. */
export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const params = await searchParams;
  const next = safeReturnPath(params.next);
  if (await currentPrincipal()) redirect(next);
  return <LoginForm expired={params.abgelaufen === "1"} reset={params.zurueckgesetzt === "1"} next={next} firstVisit={params.abgelaufen !== "1" && params.zurueckgesetzt !== "1"} />;
}
