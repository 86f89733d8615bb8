/**
 * German labels of the instance and billing states: the one table each, read by
 * the API presenters and by the staff UI's filters and forms. Plain constants
 * without imports, so client components may import them too.
 */
export const INSTANCE_STATUS_LABELS: Record<string, string> = {
  provisioning: "Wird eingerichtet",
  online: "Online",
  offline: "Offline",
  maintenance: "Wartung",
  suspended: "Gesperrt",
};

export const BILLING_STATUS_LABELS: Record<string, string> = {
  trial: "Testphase",
  active: "Aktiv",
  past_due: "Zahlung überfällig",
  cancelled: "Gekündigt",
};

/** Select options from a label table, in the order of `keys` (default: the table's). */
export function labelOptions(labels: Record<string, string>, keys: string[] = Object.keys(labels)) {
  return keys.map((value) => ({ value, label: labels[value] ?? value }));
}
