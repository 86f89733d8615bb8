import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { LoginForm } from "@/components/auth/login-form";
import { currentPrincipal } from "@/lib/auth/current";

export const metadata: Metadata = { title: "Anmelden" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  if (await currentPrincipal()) redirect("/");
  const params = await searchParams;
  return <LoginForm expired={params.abgelaufen === "1"} reset={params.zurueckgesetzt === "1"} />;
}
