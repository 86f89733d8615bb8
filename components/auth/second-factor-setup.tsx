"use client";

import { signOut } from "next-auth/react";
import { AuthenticatorCard } from "@/components/account/authenticator-card";
import { PasskeysCard } from "@/components/account/passkeys-card";
import { ReauthenticationDialog } from "./reauthentication-dialog";

/**
 * The only page an account sees while a required authenticator app or passkey
 * is missing: set one up, then continue to the portal (the portal checks again).
 */
export function SecondFactorSetup({ rule }: { rule: "staff" | "instance" }) {
  return (
    <div className="space-y-6">
      <div className="space-y-2">
        <h2 className="text-lg font-semibold">Zweiten Faktor einrichten</h2>
        <p className="text-sm text-slate-700">
          {rule === "staff"
            ? "Ihr IT-Dienstleister schreibt für alle Mitarbeiterkonten eine Authenticator-App oder einen Passkey vor."
            : "Der Administrator Ihres Kontos schreibt für alle Benutzer eine Authenticator-App oder einen Passkey vor."}{" "}
          Bitte richten Sie jetzt eines davon ein; danach geht es weiter ins Portal.
        </p>
      </div>
      <section aria-labelledby="app-title" className="space-y-2">
        <h3 id="app-title" className="font-semibold">
          Authenticator-App
        </h3>
        <AuthenticatorCard />
      </section>
      <section aria-labelledby="passkey-title" className="space-y-2">
        <h3 id="passkey-title" className="font-semibold">
          Passkey
        </h3>
        <PasskeysCard />
      </section>
      <div className="flex flex-col gap-2 sm:flex-row sm:justify-between">
        <a href="/" className="rounded-md bg-brand-600 px-4 py-2 text-center text-sm font-medium text-white hover:bg-brand-700">
          Weiter zum Portal
        </a>
        <button type="button" onClick={() => void signOut({ callbackUrl: "/login" })} className="rounded-md border border-slate-300 px-4 py-2 text-sm hover:bg-slate-100">
          Abmelden
        </button>
      </div>
      <ReauthenticationDialog />
    </div>
  );
}
