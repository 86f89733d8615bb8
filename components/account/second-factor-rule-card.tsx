"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Button } from "@/components/ui/button";
import { Alert, LoadingBlock } from "@/components/ui/card";
import { useToast } from "@/components/ui/toast";
import { apiFetch, ApiError } from "@/lib/client/api";

type Rule = { require_two_factor: boolean };
const URL = "/api/manage/second-factor-rule";

/**
 * The customer admin's rule: every user of the instance needs an authenticator
 * app or a passkey; users without one are led to set it up at their next step.
 * A sensitive change: the password dialog asks when the last confirmation is older than 10 minutes.
 */
export function SecondFactorRuleCard() {
  const toast = useToast();
  const client = useQueryClient();
  const rule = useQuery({ queryKey: ["manage", "second-factor-rule"], queryFn: () => apiFetch<Rule>(URL) });
  const save = useMutation({
    mutationFn: (required: boolean) => apiFetch<Rule>(URL, { method: "PUT", body: { required } }),
    onSuccess: (data) => {
      client.setQueryData(["manage", "second-factor-rule"], data);
      toast("success", data.require_two_factor ? "Authenticator-App oder Passkey ist jetzt für alle Benutzer Pflicht." : "Die Vorschrift ist aufgehoben.");
      // The admin may be affected too: a reload leads to the set-up if needed.
      if (data.require_two_factor) window.location.reload();
    },
  });
  if (rule.isPending) return <LoadingBlock />;
  if (rule.error) return <Alert kind="error">{rule.error instanceof ApiError ? rule.error.message : "Konnte nicht geladen werden."}</Alert>;
  const on = rule.data.require_two_factor;
  return (
    <div className="space-y-3 text-sm">
      <p>
        {on
          ? "Eingeschaltet: Jeder Benutzer Ihres Kontos braucht eine Authenticator-App oder einen Passkey. Wer noch keins hat, wird bei der Anmeldung zur Einrichtung geführt."
          : "Ausgeschaltet: Benutzer Ihres Kontos dürfen sich auch nur mit Passwort (und ggf. E-Mail-Code) anmelden."}
      </p>
      {!on && <p className="text-slate-600">Hinweis: Haben Sie selbst noch keine App und keinen Passkey, werden Sie nach dem Einschalten sofort zur Einrichtung geführt.</p>}
      {save.error && !(save.error instanceof ApiError && save.error.status === 403 && save.error.body.reauthentication_required) && (
        <Alert kind="error">{save.error instanceof ApiError ? save.error.message : "Speichern fehlgeschlagen."}</Alert>
      )}
      <Button variant={on ? "secondary" : "primary"} disabled={save.isPending} onClick={() => save.mutate(!on)}>
        {on ? "Vorschrift aufheben" : "Für alle Benutzer vorschreiben"}
      </Button>
    </div>
  );
}
