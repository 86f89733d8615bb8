import { Button } from "./button";

/** Singular forms of the nouns used under lists ("1 Rechnung", not "1 Rechnungen"). */
const SINGULAR: Record<string, string> = {
  Rechnungen: "Rechnung",
  Instanzen: "Instanz",
  Einträge: "Eintrag",
  Zahlungen: "Zahlung",
  Buchungen: "Buchung",
  Mails: "Mail",
};

export type PageMeta = { current_page: number; last_page: number; total: number };

/** "Zurück · Seite x von y · n <noun> · Weiter" under a paginated list. */
export function Pagination({ meta, onPage, noun, label = "Seiten" }: { meta: PageMeta; onPage: (page: number) => void; noun?: string; label?: string }) {
  return (
    <nav aria-label={label} className="flex items-center justify-between gap-2">
      <Button variant="secondary" disabled={meta.current_page <= 1} onClick={() => onPage(meta.current_page - 1)}>
        Zurück
      </Button>
      <span className="text-center text-sm text-slate-600">
        Seite {meta.current_page} von {meta.last_page}
        {noun ? ` · ${meta.total} ${meta.total === 1 ? (SINGULAR[noun] ?? noun) : noun}` : ""}
      </span>
      <Button variant="secondary" disabled={meta.current_page >= meta.last_page} onClick={() => onPage(meta.current_page + 1)}>
        Weiter
      </Button>
    </nav>
  );
}
