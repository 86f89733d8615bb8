"use client";

import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/card";
import { useToast } from "@/components/ui/toast";

/** Ten recovery codes, shown once: copy or download, then they are gone from the screen. */
export function RecoveryCodesView({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  const toast = useToast();
  const text = `Wiederherstellungscodes Manage-Portal (jeder Code gilt einmal)\n\n${codes.join("\n")}\n`;
  return (
    <div className="space-y-3" data-testid="recovery-codes">
      <Alert kind="warning" title="Wiederherstellungscodes – nur jetzt sichtbar">
        Mit einem dieser Codes melden Sie sich an, wenn Sie keinen Zugriff auf Ihre App oder Ihren Passkey haben. Jeder Code gilt einmal. Bewahren
        Sie sie sicher auf.
      </Alert>
      <ul className="grid grid-cols-2 gap-2 rounded-lg border border-slate-200 bg-slate-50 p-3 font-mono text-sm" aria-label="Wiederherstellungscodes">
        {codes.map((c) => (
          <li key={c}>{c}</li>
        ))}
      </ul>
      <div className="flex flex-col gap-2 sm:flex-row">
        <Button
          type="button"
          variant="secondary"
          onClick={() => {
            void navigator.clipboard?.writeText(text).then(
              () => toast("success", "Codes kopiert."),
              () => toast("error", "Kopieren nicht möglich – bitte herunterladen."),
            );
          }}
        >
          Kopieren
        </Button>
        <a
          className="inline-flex items-center justify-center rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-medium hover:bg-slate-100"
          href={`data:text/plain;charset=utf-8,${encodeURIComponent(text)}`}
          download="manage-portal-wiederherstellungscodes.txt"
        >
          Herunterladen
        </a>
        <Button type="button" onClick={onDone}>
          Ich habe die Codes gespeichert
        </Button>
      </div>
    </div>
  );
}
