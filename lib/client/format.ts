const dateTime = new Intl.DateTimeFormat("de-DE", { dateStyle: "medium", timeStyle: "short", timeZone: "Europe/Berlin" });
const dateOnly = new Intl.DateTimeFormat("de-DE", { dateStyle: "medium", timeZone: "Europe/Berlin" });

export function formatDateTime(iso: string | null | undefined) {
  return iso ? dateTime.format(new Date(iso)) : "–";
}

export function formatDate(isoDate: string | null | undefined) {
  return isoDate ? dateOnly.format(new Date(`${isoDate.slice(0, 10)}T12:00:00Z`)) : "–";
}

const decimal = (digits: number) => new Intl.NumberFormat("de-DE", { maximumFractionDigits: digits });

/** A metric value with its unit, German: "12,5 %", "340 Pakete/s", "1,2 MB/s" (decimal prefixes, like Hetzner's console). */
export function formatMetric(value: number | null | undefined, unit: "percent" | "iops" | "bytes_per_second" | "packets_per_second"): string {
  if (value === null || value === undefined) return "–";
  switch (unit) {
    case "percent":
      return `${decimal(1).format(value)} %`;
    case "iops":
      return `${decimal(1).format(value)} IOPS`;
    case "packets_per_second":
      return `${decimal(value < 10 ? 1 : 0).format(value)} Pakete/s`;
    case "bytes_per_second": {
      const units = ["B/s", "kB/s", "MB/s", "GB/s"];
      let v = value;
      let i = 0;
      while (v >= 1000 && i < units.length - 1) {
        v /= 1000;
        i++;
      }
      return `${decimal(v < 10 ? 1 : 0).format(v)} ${units[i]}`;
    }
  }
}

/** Bytes as "1,2 GB" (decimal prefixes). */
export function formatBytes(value: number | null | undefined): string {
  if (value === null || value === undefined) return "–";
  const units = ["B", "kB", "MB", "GB", "TB"];
  let v = value;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${decimal(v < 10 ? 1 : 0).format(v)} ${units[i]}`;
}
