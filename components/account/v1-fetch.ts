import { ApiError } from "@/lib/client/api";

/** Browser access to API v1 with the portal's cookie session; maps the v1 error shape to ApiError. */
export async function v1Fetch<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method: init.method ?? "GET",
      credentials: "same-origin",
      headers: init.body === undefined ? undefined : { "content-type": "application/json" },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  } catch {
    throw new ApiError(0, "Keine Verbindung zum Server. Bitte Netzwerk prüfen und erneut versuchen.");
  }
  const text = await res.text();
  let data: Record<string, unknown> = {};
  try {
    data = text ? JSON.parse(text) : {};
  } catch {
    data = {};
  }
  if (!res.ok) {
    const detail = (data.detail ?? {}) as Record<string, unknown>;
    if (res.status === 401 && typeof window !== "undefined") window.location.href = "/login?abgelaufen=1";
    const retry = res.headers.get("retry-after");
    const message =
      typeof detail.message === "string"
        ? detail.message
        : detail.error === "permission_denied"
          ? `Dafür fehlt Ihnen die Berechtigung (${String(detail.missing)}).`
          : `Fehler ${res.status}. Bitte erneut versuchen.`;
    throw new ApiError(res.status, message, (detail.errors as Record<string, string[]>) ?? {}, retry ? Number(retry) : null, detail);
  }
  return data as T;
}
