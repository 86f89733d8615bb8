import { BILLING_STATUS_LABELS, INSTANCE_STATUS_LABELS, labelOptions } from "@/lib/labels";

/** Filter options of the staff instance list (values as the admin API accepts them). */
export const INSTANCE_STATUS_OPTIONS = [
  { value: "", label: "Alle Status" },
  ...labelOptions(INSTANCE_STATUS_LABELS, ["online", "offline", "provisioning", "maintenance", "suspended"]),
];

export const BILLING_STATUS_OPTIONS = [{ value: "", label: "Alle Abrechnungen" }, ...labelOptions(BILLING_STATUS_LABELS)];
