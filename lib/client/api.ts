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

/**
 * Sensitive changes answer 403 with `reauthentication_required` when the
 * session has not confirmed the password within 10 minutes. The portal
 * registers one handler (the password dialog, `components/auth/reauthentication-dialog.tsx`);
 * when it confirms, the request is sent once more, so the action proceeds.
 */
type ReauthenticationHandler = () => Promise<boolean>;
let reauthenticationHandler: ReauthenticationHandler | null = null;

export function setReauthenticationHandler(handler: ReauthenticationHandler): () => void {
  reauthenticationHandler = handler;
  return () => {
    if (reauthenticationHandler === handler) reauthenticationHandler = null;
  };
}

export function isReauthenticationRequired(error: unknown): boolean {
  return error instanceof ApiError && error.status === 403 && (error.body.reauthentication_required === true || error.body.error === "reauthentication_required");
}

export async function apiFetch<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  try {
    return await request<T>(path, init);
  } catch (error) {
    if (!isReauthenticationRequired(error) || !reauthenticationHandler) throw error;
    if (!(await reauthenticationHandler())) throw error;
    return request<T>(path, init);
  }
}

async function request<T>(path: string, init: { method?: string; body?: unknown }): Promise<T> {
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
