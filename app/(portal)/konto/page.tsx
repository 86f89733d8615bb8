import type { Metadata } from "next";
import Link from "next/link";
import { ApiKeysCard } from "@/components/account/api-keys-card";
import { AuthenticatorCard } from "@/components/account/authenticator-card";
import { PasskeysCard } from "@/components/account/passkeys-card";
import { SecondFactorRuleCard } from "@/components/account/second-factor-rule-card";
import { TwoFactorCard } from "@/components/account/two-factor-card";
import { WebhooksCard } from "@/components/account/webhooks-card";
import { InvoiceAddressForm } from "@/components/billing/billing-profile-card";
import { ChangePasswordForm } from "@/components/portal/change-password-form";
import { Alert, Card } from "@/components/ui/card";
import { recoveryLoginNotice, remainingRecoveryCodes } from "@/lib/auth/recovery-codes";
import { CustomerMandateSection } from "@/components/sepa/mandate-card";
import { requireMe } from "@/lib/doors/pages/guards";

export const metadata: Metadata = { title: "Konto" };

/** `wiederherstellungscode=1`: the login form's way here after a sign-in with a recovery code. */
export default async function AccountPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const me = await requireMe();
  const params = await searchParams;
  const recoveryNotice = params.wiederherstellungscode === "1" ? recoveryLoginNotice(await remainingRecoveryCodes(me.user.id)) : null;
  const canManageWebhooks = me.user.permissions.includes("webhook.manage");
  const canSetSecondFactorRule = !me.user.staff && me.user.permissions.includes("user.manage");
  // Customer admins (user.manage, as the API's PUT /billing-profile) keep their invoice address.
  const canEditInvoiceAddress = !me.user.staff && me.instance !== null && me.user.permissions.includes("user.manage");
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">Konto</h1>
      {recoveryNotice && (
        <Alert kind={recoveryNotice.low ? "warning" : "info"} title={recoveryNotice.title}>
          <p data-testid="recovery-login-notice">{recoveryNotice.text}</p>
          <p className="mt-2 flex flex-wrap gap-x-4 gap-y-1">
            <a href="#authenticator-app" className="font-medium text-brand-700 underline-offset-2 hover:underline">
              Authenticator-App neu einrichten
            </a>
            <a href="#authenticator-app" className="font-medium text-brand-700 underline-offset-2 hover:underline">
              Neue Wiederherstellungscodes erzeugen
            </a>
          </p>
        </Alert>
      )}
      <nav aria-label="Abschnitte" className="flex flex-wrap gap-2 text-sm">
        {[
          ["#daten", "Ihre Daten"],
          ["#passwort", "Passwort"],
          ["#zwei-faktor", "Zwei-Faktor-Anmeldung"],
          ["#authenticator-app", "Authenticator-App"],
          ["#passkeys", "Passkeys"],
          ["#api-schluessel", "API-Schlüssel"],
          ...(canEditInvoiceAddress ? [["#rechnungsadresse", "Rechnungsadresse"], ["#lastschrift", "Lastschrift"]] : []),
          ...(canSetSecondFactorRule ? [["#zwei-faktoren-pflicht", "Zwei Faktoren für alle"]] : []),
          ...(canManageWebhooks ? [["#webhooks", "Webhooks"]] : []),
          ["/konto/sitzungen", "Sitzungen"],
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
      <div id="authenticator-app">
        <Card title="Authenticator-App">
          <AuthenticatorCard />
        </Card>
      </div>
      <div id="passkeys">
        <Card title="Passkeys">
          <PasskeysCard />
        </Card>
      </div>
      {canEditInvoiceAddress && me.instance && (
        <div id="rechnungsadresse">
          <Card title="Rechnungsadresse">
            <InvoiceAddressForm companyName={me.instance.company_name} />
          </Card>
        </div>
      )}
      {canEditInvoiceAddress && (
        <div id="lastschrift">
          <Card title="SEPA-Lastschrift">
            <CustomerMandateSection />
          </Card>
        </div>
      )}
      {canSetSecondFactorRule && (
        <div id="zwei-faktoren-pflicht">
          <Card title="Zwei Faktoren für alle Benutzer">
            <SecondFactorRuleCard />
          </Card>
        </div>
      )}
      <div id="api-schluessel">
        <Card title="API-Schlüssel">
          <ApiKeysCard />
        </Card>
      </div>
      {canManageWebhooks && (
        <div id="webhooks">
          <Card title="Webhooks">
            <WebhooksCard staff={me.user.staff} />
          </Card>
        </div>
      )}
      <div id="sitzungen">
        <Card title="Aktive Sitzungen">
          <p className="mb-3 text-sm text-slate-600">Sehen Sie, auf welchen Geräten Sie angemeldet sind, und beenden Sie Sitzungen einzeln oder alle auf einmal.</p>
          <Link href="/konto/sitzungen" className="text-sm font-medium text-brand-700 underline-offset-2 hover:underline">
            Sitzungen anzeigen und verwalten
          </Link>
        </Card>
      </div>
    </div>
  );
}
