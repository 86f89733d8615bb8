import { Badge } from "@/components/ui/card";

const TONES = {
  draft: "slate",
  sent: "blue",
  partially_paid: "amber",
  paid: "green",
  overdue: "red",
  cancelled: "slate",
} as const;

export function InvoiceStatusBadge({ status, label }: { status: string; label: string }) {
  return (
    <span data-testid="invoice-status" data-status={status}>
      <Badge tone={TONES[status as keyof typeof TONES] ?? "slate"}>{label}</Badge>
    </span>
  );
}

export const STATUS_FILTER_OPTIONS = [
  { value: "", label: "Alle" },
  { value: "open", label: "Offen (alle unbezahlten)" },
  { value: "sent", label: "Offen (ohne Zahlung)" },
  { value: "partially_paid", label: "Teilweise bezahlt" },
  { value: "overdue", label: "Überfällig" },
  { value: "paid", label: "Bezahlt" },
  { value: "cancelled", label: "Storniert" },
];
