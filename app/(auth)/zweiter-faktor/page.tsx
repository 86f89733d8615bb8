import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SecondFactorSetup } from "@/components/auth/second-factor-setup";
import { currentSession } from "@/lib/auth/current";
import { redirectToLogin } from "@/lib/auth/login-redirect";
import { pendingSecondFactorSetup } from "@/lib/auth/second-factor-policy";

export const metadata: Metadata = { title: "Zweiten Faktor einrichten" };
export const dynamic = "force-dynamic";

/** Set-up of a required authenticator app or passkey; once there is one, the portal. */
export default async function SecondFactorSetupPage() {
  const session = await currentSession();
  if (!session) return redirectToLogin();
  const rule = await pendingSecondFactorSetup(session.principal, { instanceRule: session.instance?.instance.requireTwoFactor });
  if (!rule) redirect("/");
  return <SecondFactorSetup rule={rule} />;
}
