/**
 * Timestamps as the API contract writes them: `2026-03-04T10:00:00+00:00`
 * (whole seconds, numeric UTC offset). Every timestamp of /api/manage and
 * /api/v1 goes through `apiTimestamp`; dates stay `YYYY-MM-DD`.
 */
export function apiTimestamp(value: Date): string;
export function apiTimestamp(value: Date | null | undefined): string | null;
export function apiTimestamp(value: Date | null | undefined): string | null {
  if (!value) return null;
  return `${value.toISOString().slice(0, 19)}+00:00`;
}

/** The pattern of `apiTimestamp`, for schemas and tests. */
export const API_TIMESTAMP_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00$/;
