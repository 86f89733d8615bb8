import type { Metadata } from "next";
import { ResetPasswordForm } from "@/components/auth/reset-password-form";

export const metadata: Metadata = { title: "Neues Passwort festlegen" };

export default async function ResetPasswordPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const params = await searchParams;
  return <ResetPasswordForm token={params.token ?? ""} email={params.email ?? ""} invitation={params.einladung === "1"} />;
}
