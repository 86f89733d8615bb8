/** Browser-side access to the portal's own API (cookie session, same origin). */
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
    const retry = res.headers.get("retry-after");
    throw new ApiError(
      res.status,
      typeof data.message === "string" ? data.message : `Fehler ${res.status}. Bitte erneut versuchen.`,
      (data.errors as Record<string, string[]>) ?? {},
      retry ? Number(retry) : null,
      data,
    );
  }
  return data as T;
}
