import { NextResponse, type NextRequest } from "next/server";

/** API answers carry personal data: never stored by browsers or proxies unless a handler says otherwise. */
export const NO_STORE = { "Cache-Control": "no-store" } as const;

export type RouteParams = Record<string, string | string[] | undefined>;
export type RouteResult = Response | Record<string, unknown> | unknown[];

/**
 * Turns a handler body into a Next.js route handler: awaits the dynamic route
 * params, serialises plain results as JSON and hands every thrown error to the
 * API family's own error mapping (one per family: /api/manage, /api/v1).
 * Answers without their own caching header get `Cache-Control: no-store`.
 */
export function routeHandler(toErrorResponse: (error: unknown) => Response) {
  return (run: (req: NextRequest, params: RouteParams) => Promise<RouteResult>) =>
    async (req: NextRequest, context: { params: Promise<RouteParams> }) => {
      try {
        const params = (await context?.params) ?? {};
        const result = await run(req, params);
        return withNoStore(result instanceof Response ? result : NextResponse.json(result));
      } catch (error) {
        return withNoStore(toErrorResponse(error));
      }
    };
}

function withNoStore(response: Response): Response {
  try {
    if (!response.headers.has("cache-control")) response.headers.set("cache-control", NO_STORE["Cache-Control"]);
  } catch {
    // Immutable headers (a proxied response): leave them as they are.
  }
  return response;
}
