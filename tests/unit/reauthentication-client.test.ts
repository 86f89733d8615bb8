/**
 * The browser side of re-authentication: a 403 `reauthentication_required`
 * (API v1 or manage shape) opens the registered password dialog; when it
 * confirms, the same request is sent once more and its answer returned.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiError, apiFetch, setReauthenticationHandler } from "@/lib/client/api";

const reauthV1 = () =>
  new Response(JSON.stringify({ detail: { error: "reauthentication_required", message: "Bitte bestätigen Sie diese Änderung mit Ihrem Passwort.", reauthentication_required: true } }), {
    status: 403,
  });
const created = () => new Response(JSON.stringify({ id: "k1" }), { status: 201 });

afterEach(() => vi.unstubAllGlobals());

describe("apiFetch and the password dialog", () => {
  it("asks for the password and repeats the change once it is confirmed", async () => {
    const fetchMock = vi.fn().mockResolvedValueOnce(reauthV1()).mockResolvedValueOnce(created());
    vi.stubGlobal("fetch", fetchMock);
    const handler = vi.fn().mockResolvedValue(true);
    const unregister = setReauthenticationHandler(handler);
    try {
      await expect(apiFetch("/api/v1/auth/api-keys", { method: "POST", body: { name: "x" } })).resolves.toEqual({ id: "k1" });
      expect(handler).toHaveBeenCalledTimes(1);
      expect(fetchMock).toHaveBeenCalledTimes(2);
      expect(fetchMock.mock.calls[1][1]).toMatchObject({ method: "POST", body: JSON.stringify({ name: "x" }) });
    } finally {
      unregister();
    }
  });

  it("leaves the change undone with its German message when the dialog is cancelled", async () => {
    const fetchMock = vi.fn().mockResolvedValueOnce(reauthV1());
    vi.stubGlobal("fetch", fetchMock);
    const unregister = setReauthenticationHandler(async () => false);
    try {
      const error = (await apiFetch("/api/v1/auth/api-keys", { method: "POST" }).catch((e: unknown) => e)) as ApiError;
      expect(error).toBeInstanceOf(ApiError);
      expect(error.status).toBe(403);
      expect(error.message).toMatch(/Passwort/);
      expect(fetchMock).toHaveBeenCalledTimes(1);
    } finally {
      unregister();
    }
  });

  it("recognises the manage API's shape and does not ask for other 403s", async () => {
    const manage = new Response(JSON.stringify({ message: "Bitte bestätigen", reauthentication_required: true }), { status: 403 });
    const other = new Response(JSON.stringify({ message: "Dafür fehlt Ihnen die Berechtigung." }), { status: 403 });
    vi.stubGlobal("fetch", vi.fn().mockResolvedValueOnce(manage).mockResolvedValueOnce(created()).mockResolvedValueOnce(other));
    const handler = vi.fn().mockResolvedValue(true);
    const unregister = setReauthenticationHandler(handler);
    try {
      await expect(apiFetch("/api/manage/x", { method: "POST" })).resolves.toEqual({ id: "k1" });
      await expect(apiFetch("/api/manage/y", { method: "POST" })).rejects.toMatchObject({ status: 403 });
      expect(handler).toHaveBeenCalledTimes(1);
    } finally {
      unregister();
    }
  });
});
