import { Badge } from "./card";

/** Colour of a status badge: one mapping for instance, server, billing and user states. */
export const toneFor = (status: string) =>
  status === "online" || status === "healthy" || status === "active"
    ? "green"
    : status === "suspended" || status === "off" || status === "unhealthy" || status === "past_due" || status === "deactivated" || status === "cancelled"
      ? "red"
      : status === "unknown" || status === "none"
        ? "slate"
        : status === "trial" || status === "invited"
          ? "blue"
          : "amber";

export function StatusBadge({ status, label, testId }: { status: string; label: string; testId?: string }) {
  return (
    <Badge tone={toneFor(status)}>
      <span data-testid={testId}>{label}</span>
    </Badge>
  );
}
