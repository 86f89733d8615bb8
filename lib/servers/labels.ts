/**
 * German labels of server states and actions, for presenters and the UI.
 * Plain data (no database, no Hetzner client), so client components may
 * import it too.
 */
export const SERVER_STATUS_LABELS: Record<string, string> = {
  online: "Online",
  off: "Ausgeschaltet",
  starting: "Startet",
  stopping: "Fährt herunter",
  rebooting: "Startet neu",
  initializing: "Wird eingerichtet",
  unknown: "Unbekannt",
  none: "Kein Server",
};

export const HEALTH_LABELS: Record<string, string> = {
  healthy: "Gesund",
  degraded: "Eingeschränkt",
  unhealthy: "Gestört",
  unknown: "Unbekannt",
};

/** Power actions as the action history names them (`power-off-force` = Hetzner `poweroff`). */
export const ACTION_LABELS: Record<string, string> = {
  reboot: "Neustart",
  "power-off": "Herunterfahren",
  "power-off-force": "Ausschalten (erzwungen)",
  "power-on": "Einschalten",
};
