import { NextResponse, type NextRequest } from "next/server";

export type RouteParams = Record<string, string | string[] | undefined>;
export type RouteResult = Response | Record<string, unknown> | unknown[];

/**
 * Turns a handler body into a Next.js route handler: awaits the dynamic route
 * params, serialises plain results as JSON and hands every thrown error to the
 * API family's own error mapping (one per family: /api/manage, /api/v1).
 */
export function routeHandler(toErrorResponse: (error: unknown) => Response) {
  return (run: (req: NextRequest, params: RouteParams) => Promise<RouteResult>) =>
    async (req: NextRequest, context: { params: Promise<RouteParams> }) => {
      try {
        const params = (await context?.params) ?? {};
        const result = await run(req, params);
        return result instanceof Response ? result : NextResponse.json(result);
      } catch (error) {
        return toErrorResponse(error);
      }
    };
}
