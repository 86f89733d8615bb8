import type { Metadata } from "next";
import { ResetPasswordForm } from "@/components/auth/reset-password-form";
import { passwordLinkState } from "@/lib/auth/password-links";

export const metadata: Metadata = { title: "Neues Passwort festlegen" };

export default async function ResetPasswordPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const params = await searchParams;
  const token = params.token ?? "";
  const email = params.email ?? "";
  // A used or expired link says so on opening, not after the form was filled in.
  const state = token && email ? await passwordLinkState(email, token) : "invalid";
  return <ResetPasswordForm token={token} email={email} invitation={params.einladung === "1"} linkState={state} />;
}
