/** Browser-side access to the portal's own APIs (cookie session, same origin), for /api/manage and /api/v1. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly fieldErrors: Record<string, string[]> = {},
    readonly retryAfterSeconds: number | null = null,
    readonly body: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export async function apiFetch<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
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
    if (res.status === 401 && typeof window !== "undefined" && !path.includes("/auth/")) {
      window.location.href = `/login?abgelaufen=1`;
    }
    // /api/manage answers { message, errors }, /api/v1 answers { detail: { error, message, … } }.
    const body = data.detail && typeof data.detail === "object" ? (data.detail as Record<string, unknown>) : data;
    const retry = res.headers.get("retry-after");
    const message =
      typeof body.message === "string"
        ? body.message
        : body.error === "permission_denied"
          ? `Dafür fehlt Ihnen die Berechtigung (${String(body.missing)}).`
          : `Fehler ${res.status}. Bitte erneut versuchen.`;
    throw new ApiError(res.status, message, (body.errors as Record<string, string[]>) ?? {}, retry ? Number(retry) : null, body);
  }
  return data as T;
}
