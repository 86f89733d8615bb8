import type { Metadata } from "next";
import { ChangePasswordForm } from "@/components/portal/change-password-form";
import { Card } from "@/components/ui/card";
import { requireMe } from "@/lib/auth/page-guard";

export const metadata: Metadata = { title: "Konto" };

export default async function AccountPage() {
  const me = await requireMe();
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">Konto</h1>
      <Card title="Ihre Daten">
        <dl className="grid gap-2 text-sm sm:grid-cols-[10rem_1fr]">
          <dt className="text-slate-500">Name</dt>
          <dd>{me.user.name}</dd>
          <dt className="text-slate-500">E-Mail</dt>
          <dd>{me.user.email}</dd>
          <dt className="text-slate-500">Rollen</dt>
          <dd>{me.user.roles.map((r) => r.label).join(", ")}</dd>
        </dl>
      </Card>
      <Card title="Passwort ändern">
        <ChangePasswordForm />
      </Card>
    </div>
  );
}
