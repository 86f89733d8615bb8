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
  migrating: "Wird migriert",
  rebuilding: "Wird neu aufgesetzt",
  deleting: "Wird gelöscht",
  unknown: "Unbekannt",
  none: "Kein Server",
};

export const HEALTH_LABELS: Record<string, string> = {
  healthy: "Gesund",
  degraded: "Eingeschränkt",
  unhealthy: "Gestört",
  unknown: "Unbekannt",
  /** Switched off on purpose: not a problem (lib/health/derive.ts). */
  off: "Aus",
};

/** Power actions as the action history names them (`power-off-force` = Hetzner `poweroff`). */
export const ACTION_LABELS: Record<string, string> = {
  reboot: "Neustart",
  "power-off": "Herunterfahren",
  "power-off-force": "Ausschalten (erzwungen)",
  "power-on": "Einschalten",
  rebuild: "Wiederherstellung",
};

/** Hetzner locations in words. The stored `datacenter` is the location name (`nbg1`); an old `nbg1-dc3` still reads. */
export const LOCATION_LABELS: Record<string, string> = {
  nbg1: "Nürnberg (Deutschland)",
  fsn1: "Falkenstein (Deutschland)",
  hel1: "Helsinki (Finnland)",
  ash: "Ashburn, Virginia (USA)",
  hil: "Hillsboro, Oregon (USA)",
  sin: "Singapur",
};

export function locationLabel(datacenter: string | null | undefined): string | null {
  if (!datacenter) return null;
  const location = datacenter.split("-dc")[0];
  return LOCATION_LABELS[location] ?? datacenter;
}

/** Resources of common Hetzner Cloud server types (vCPU, RAM in GB, disk in GB). */
export const SERVER_TYPE_RESOURCES: Record<string, { cores: number; memory: number; disk: number }> = {
  cx22: { cores: 2, memory: 4, disk: 40 },
  cx32: { cores: 4, memory: 8, disk: 80 },
  cx42: { cores: 8, memory: 16, disk: 160 },
  cx52: { cores: 16, memory: 32, disk: 320 },
  cpx11: { cores: 2, memory: 2, disk: 40 },
  cpx21: { cores: 3, memory: 4, disk: 80 },
  cpx31: { cores: 4, memory: 8, disk: 160 },
  cpx41: { cores: 8, memory: 16, disk: 240 },
  cpx51: { cores: 16, memory: 32, disk: 360 },
  cax11: { cores: 2, memory: 4, disk: 40 },
  cax21: { cores: 4, memory: 8, disk: 80 },
  cax31: { cores: 8, memory: 16, disk: 160 },
  cax41: { cores: 16, memory: 32, disk: 320 },
};

/** "CX22 · 2 vCPU · 4 GB RAM · 40 GB SSD" (just the name for unknown types). */
export function serverTypeLabel(serverType: string | null | undefined): string | null {
  if (!serverType) return null;
  const r = SERVER_TYPE_RESOURCES[serverType.toLowerCase()];
  const name = serverType.toUpperCase();
  return r ? `${name} · ${r.cores} vCPU · ${r.memory} GB RAM · ${r.disk} GB SSD` : name;
}
