/** Methods that never change state: no CSRF check, allowed in the read-only customer view. */
export const SAFE_METHODS: ReadonlySet<string> = new Set(["GET", "HEAD", "OPTIONS"]);

export function isSafeMethod(req: { method: string }) {
  return SAFE_METHODS.has(req.method.toUpperCase());
}
