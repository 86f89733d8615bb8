import type { Metadata } from "next";
import { ApiKeysCard } from "@/components/account/api-keys-card";
import { SessionsCard } from "@/components/account/sessions-card";
import { TwoFactorCard } from "@/components/account/two-factor-card";
import { ChangePasswordForm } from "@/components/portal/change-password-form";
import { Card } from "@/components/ui/card";
import { requireMe } from "@/lib/auth/page-guard";

export const metadata: Metadata = { title: "Konto" };

export default async function AccountPage() {
  const me = await requireMe();
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">Konto</h1>
      <nav aria-label="Abschnitte" className="flex flex-wrap gap-2 text-sm">
        {[
          ["#daten", "Ihre Daten"],
          ["#passwort", "Passwort"],
          ["#zwei-faktor", "Zwei-Faktor-Anmeldung"],
          ["#api-schluessel", "API-Schlüssel"],
          ["#sitzungen", "Sitzungen"],
        ].map(([href, label]) => (
          <a key={href} href={href} className="rounded-full border border-slate-300 bg-white px-3 py-1 hover:bg-slate-100">
            {label}
          </a>
        ))}
      </nav>
      <div id="daten">
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
      </div>
      <div id="passwort">
        <Card title="Passwort ändern">
          <ChangePasswordForm />
        </Card>
      </div>
      <div id="zwei-faktor">
        <Card title="Zwei-Faktor-Anmeldung (E-Mail)">
          <TwoFactorCard />
        </Card>
      </div>
      <div id="api-schluessel">
        <Card title="API-Schlüssel">
          <ApiKeysCard />
        </Card>
      </div>
      <div id="sitzungen">
        <Card title="Aktive Sitzungen">
          <SessionsCard />
        </Card>
      </div>
    </div>
  );
}
