const dateTime = new Intl.DateTimeFormat("de-DE", { dateStyle: "medium", timeStyle: "short", timeZone: "Europe/Berlin" });
const dateOnly = new Intl.DateTimeFormat("de-DE", { dateStyle: "medium", timeZone: "Europe/Berlin" });

export function formatDateTime(iso: string | null | undefined) {
  return iso ? dateTime.format(new Date(iso)) : "–";
}

export function formatDate(isoDate: string | null | undefined) {
  return isoDate ? dateOnly.format(new Date(`${isoDate.slice(0, 10)}T12:00:00Z`)) : "–";
}
