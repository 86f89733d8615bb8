"use client";

import { startAuthentication } from "@simplewebauthn/browser";
import Link from "next/link";
import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/card";
import { Field } from "@/components/ui/field";

const TWO_FACTOR_PREFIX = "2FA_REQUIRED:";

type Method = "totp" | "email" | "recovery_code" | "passkey";

const METHOD_LABELS: Record<Method, string> = {
  totp: "Code aus der App",
  email: "Code aus der E-Mail",
  recovery_code: "Wiederherstellungscode",
  passkey: "Passkey",
};

const CODE_RULES: Record<Exclude<Method, "passkey">, { pattern: RegExp; error: string; hint: string; inputMode: "numeric" | "text"; max: number }> = {
  totp: { pattern: /^\d{6}$/, error: "Bitte den 6-stelligen Code aus Ihrer Authenticator-App eingeben.", hint: "6 Ziffern, alle 30 Sekunden neu.", inputMode: "numeric", max: 8 },
  email: { pattern: /^\d{8}$/, error: "Bitte den 8-stelligen Code aus der E-Mail eingeben.", hint: "8 Ziffern, gültig für wenige Minuten.", inputMode: "numeric", max: 12 },
  recovery_code: {
    pattern: /^[a-z0-9]{5}-?[a-z0-9]{5}$/i,
    error: "Bitte einen Wiederherstellungscode im Format xxxxx-xxxxx eingeben.",
    hint: "Jeder Code gilt nur einmal.",
    inputMode: "text",
    max: 12,
  },
};

/** "2FA_REQUIRED:<token>" (e-mail only) or "2FA_REQUIRED:<token>:totp,passkey,…". */
function parseChallenge(error: string): { token: string; methods: Method[] } {
  const [token, list] = error.slice(TWO_FACTOR_PREFIX.length).split(":");
  const methods = (list ? list.split(",") : ["email"]).filter((m): m is Method => m in METHOD_LABELS);
  return { token, methods: methods.length > 0 ? methods : ["email"] };
}

async function passkeyAnswer(): Promise<string> {
  const res = await fetch("/api/manage/auth/passkey-options", { method: "POST" });
  if (!res.ok) throw new Error((await res.json().catch(() => null))?.message ?? "Die Anmeldung mit Passkey ist gerade nicht möglich.");
  const { challenge_id, options } = await res.json();
  const response = await startAuthentication({ optionsJSON: options });
  return JSON.stringify({ challenge_id, response });
}

function passkeyError(error: unknown) {
  if (error instanceof Error && error.name === "NotAllowedError") return "Die Anmeldung mit Passkey wurde abgebrochen.";
  return error instanceof Error && error.message ? error.message : "Die Anmeldung mit Passkey ist fehlgeschlagen.";
}

/** Why the last session ended, when the login page knows (lib/auth/login-redirect.ts `endedSessionNotice`). */
const ENDED_MESSAGES = {
  ended_elsewhere: "Diese Sitzung wurde auf einem anderen Gerät beendet. Bitte melden Sie sich erneut an.",
  password_change: "Das Passwort Ihres Kontos wurde geändert. Bitte melden Sie sich mit dem neuen Passwort an.",
} as const;

/** After a sign-in with a recovery code: the account page says how many are left and offers the app again. */
export const AFTER_RECOVERY_CODE_PATH = "/konto?wiederherstellungscode=1";

export function LoginForm({
  expired,
  ended = null,
  reset,
  next,
  firstVisit,
}: {
  expired: boolean;
  ended?: keyof typeof ENDED_MESSAGES | null;
  reset: boolean;
  next: string;
  firstVisit: boolean;
}) {
  // The sign-in fields are uncontrolled: what they show is sent, also text typed (or filled in by a
  // password manager) before the page was interactive. `email` keeps the address for the 2FA step's way back.
  const [email, setEmail] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<{ email?: string; password?: string }>({});
  const [busy, setBusy] = useState(false);
  // Second step for accounts with 2FA.
  const [challenge, setChallenge] = useState<{ token: string; methods: Method[] } | null>(null);
  const [method, setMethod] = useState<Method>("email");
  const [code, setCode] = useState("");
  const [codeError, setCodeError] = useState<string | undefined>();
  // While the way to "Passwort vergessen" loads, this form stays on screen: its fields are locked so
  // nothing is typed into a form about to disappear, and the address already typed goes along.
  const [leaving, setLeaving] = useState(false);
  const router = useRouter();

  function toForgotPassword(event: React.MouseEvent<HTMLAnchorElement>) {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    const typed = event.currentTarget.closest("form")?.elements.namedItem("email");
    const address = typed instanceof HTMLInputElement ? typed.value.trim() : "";
    setLeaving(true);
    router.push(address ? `/passwort-vergessen?email=${encodeURIComponent(address)}` : "/passwort-vergessen");
  }

  function done(usedRecoveryCode = false) {
    window.location.href = usedRecoveryCode ? AFTER_RECOVERY_CODE_PATH : next;
  }

  function failed(result: { error?: string | null } | undefined) {
    return result?.error && result.error !== "CredentialsSignin" ? result.error : "Die Anmeldung ist fehlgeschlagen.";
  }

  async function submitCode(event: React.FormEvent) {
    event.preventDefault();
    if (!challenge || method === "passkey") return;
    const trimmed = method === "recovery_code" ? code.trim() : code.replace(/\s+/g, "");
    if (!CODE_RULES[method].pattern.test(trimmed)) {
      setCodeError(CODE_RULES[method].error);
      return;
    }
    setCodeError(undefined);
    setBusy(true);
    setError(null);
    const result = await signIn("credentials", { challenge_token: challenge.token, code: trimmed, method, redirect: false });
    if (result?.ok && !result.error) return done(method === "recovery_code");
    setBusy(false);
    setCode("");
    const message = failed(result);
    setError(message);
    // Expired, used or locked challenge: back to the password step.
    if (/abgelaufen|ungültig|gesperrt/i.test(message)) setChallenge(null);
  }

  async function confirmWithPasskey() {
    if (!challenge) return;
    setBusy(true);
    setError(null);
    try {
      const passkey = await passkeyAnswer();
      const result = await signIn("credentials", { challenge_token: challenge.token, passkey, redirect: false });
      if (result?.ok && !result.error) return done();
      setError(failed(result));
    } catch (e) {
      setError(passkeyError(e));
    }
    setBusy(false);
  }

  async function signInWithPasskey() {
    setBusy(true);
    setError(null);
    try {
      const passkey = await passkeyAnswer();
      const result = await signIn("credentials", { passkey, redirect: false });
      if (result?.ok && !result.error) return done();
      setError(failed(result));
    } catch (e) {
      setError(passkeyError(e));
    }
    setBusy(false);
  }

  async function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const fields = new FormData(form);
    const email = String(fields.get("email") ?? "").trim();
    const password = String(fields.get("password") ?? "");
    setEmail(email);
    const errors: typeof fieldErrors = {};
    if (!email) errors.email = "Bitte eine E-Mail-Adresse angeben.";
    if (!password) errors.password = "Bitte das Passwort angeben.";
    setFieldErrors(errors);
    if (Object.keys(errors).length > 0) return;
    setBusy(true);
    setError(null);
    const result = await signIn("credentials", { email, password, redirect: false });
    if (result?.ok && !result.error) return done();
    setBusy(false);
    const passwordField = form.elements.namedItem("password");
    if (passwordField instanceof HTMLInputElement) passwordField.value = "";
    if (result?.error?.startsWith(TWO_FACTOR_PREFIX)) {
      const parsed = parseChallenge(result.error);
      setChallenge(parsed);
      setMethod(parsed.methods.find((m) => m !== "passkey") ?? parsed.methods[0]);
      setCode("");
      return;
    }
    setError(failed(result));
  }

  if (challenge) {
    const rule = method === "passkey" ? null : CODE_RULES[method];
    return (
      <form onSubmit={submitCode} noValidate className="space-y-5">
        <h2 className="text-lg font-semibold">Anmeldecode eingeben</h2>
        <Alert kind="info">
          {method === "email"
            ? "Für Ihr Konto ist die Zwei-Faktor-Anmeldung aktiv. Wir haben Ihnen einen 8-stelligen Code per E-Mail geschickt."
            : method === "totp"
              ? "Für Ihr Konto ist die Zwei-Faktor-Anmeldung aktiv. Geben Sie den aktuellen Code aus Ihrer Authenticator-App ein."
              : method === "recovery_code"
                ? "Kein Zugriff auf Ihre App oder Ihren Passkey? Geben Sie einen Ihrer Wiederherstellungscodes ein."
                : "Bestätigen Sie die Anmeldung mit Ihrem Passkey."}
        </Alert>
        {challenge.methods.length > 1 && (
          <fieldset className="space-y-1">
            <legend className="text-sm font-medium text-slate-700">Bestätigen mit</legend>
            <div className="flex flex-wrap gap-2">
              {challenge.methods.map((m) => (
                <button
                  key={m}
                  type="button"
                  aria-pressed={method === m}
                  onClick={() => {
                    setMethod(m);
                    setCode("");
                    setCodeError(undefined);
                    setError(null);
                  }}
                  className={`rounded-full border px-3 py-1 text-sm ${method === m ? "border-brand-600 bg-brand-50 text-brand-700" : "border-slate-300 bg-white hover:bg-slate-100"}`}
                >
                  {METHOD_LABELS[m]}
                </button>
              ))}
            </div>
          </fieldset>
        )}
        {error && <Alert kind="error">{error}</Alert>}
        {rule ? (
          <>
            <Field
              key={method}
              label={METHOD_LABELS[method]}
              name="code"
              inputMode={rule.inputMode}
              autoComplete="one-time-code"
              autoFocus
              maxLength={rule.max}
              value={code}
              onChange={(e) => setCode(e.target.value)}
              error={codeError}
              hint={rule.hint}
            />
            <Button type="submit" busy={busy} className="w-full">
              Code bestätigen
            </Button>
          </>
        ) : (
          <Button type="button" busy={busy} className="w-full" onClick={() => void confirmWithPasskey()}>
            Mit Passkey bestätigen
          </Button>
        )}
        <p className="text-center text-sm">
          <button
            type="button"
            className="text-brand-700 underline-offset-2 hover:underline"
            onClick={() => {
              setChallenge(null);
              setError(null);
            }}
          >
            Zurück zur Anmeldung
          </button>
        </p>
      </form>
    );
  }

  return (
    <form onSubmit={submit} noValidate className="space-y-5" aria-busy={leaving || undefined}>
      <h2 className="text-lg font-semibold">Anmelden</h2>
      {ended ? (
        <Alert kind="info">{ENDED_MESSAGES[ended]}</Alert>
      ) : (
        expired && <Alert kind="info">Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an.</Alert>
      )}
      {!expired && !ended && firstVisit && <Alert kind="info">Bitte melden Sie sich an, um fortzufahren.</Alert>}
      {reset && <Alert kind="success">Ihr Passwort wurde geändert. Bitte melden Sie sich mit dem neuen Passwort an.</Alert>}
      {error && <Alert kind="error">{error}</Alert>}
      <fieldset disabled={leaving} className="space-y-5">
      <Field
        label="E-Mail-Adresse"
        type="email"
        name="email"
        autoComplete="username webauthn"
        autoFocus
        defaultValue={email}
        error={fieldErrors.email}
      />
      <Field
        label="Passwort"
        type="password"
        name="password"
        autoComplete="current-password"
        defaultValue=""
        error={fieldErrors.password}
      />
      <Button type="submit" busy={busy} className="w-full">
        Anmelden
      </Button>
      <div className="flex items-center gap-3 text-xs text-slate-500" aria-hidden="true">
        <span className="h-px flex-1 bg-slate-200" />
        oder
        <span className="h-px flex-1 bg-slate-200" />
      </div>
      <Button type="button" variant="secondary" className="w-full" disabled={busy} onClick={() => void signInWithPasskey()}>
        Mit Passkey anmelden
      </Button>
      </fieldset>
      <p className="text-center text-sm">
        <Link href="/passwort-vergessen" onClick={toForgotPassword} className="text-brand-700 underline-offset-2 hover:underline">
          Passwort vergessen?
        </Link>
      </p>
    </form>
  );
}
