/** Filter options of the staff instance list (values as the admin API accepts them). */
export const INSTANCE_STATUS_OPTIONS = [
  { value: "", label: "Alle Status" },
  { value: "online", label: "Online" },
  { value: "offline", label: "Offline" },
  { value: "provisioning", label: "Wird eingerichtet" },
  { value: "maintenance", label: "Wartung" },
  { value: "suspended", label: "Gesperrt" },
];

export const BILLING_STATUS_OPTIONS = [
  { value: "", label: "Alle Abrechnungen" },
  { value: "trial", label: "Testphase" },
  { value: "active", label: "Aktiv" },
  { value: "past_due", label: "Zahlung überfällig" },
  { value: "cancelled", label: "Gekündigt" },
];
