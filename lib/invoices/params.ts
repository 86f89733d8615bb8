import { intIdParam, type RouteParamValues } from "@/lib/http/params";

/** Route param "id" → invoice id; anything that is not a valid id is a 404 (never a 500). */
export function invoiceIdParam(params: RouteParamValues): number {
  return intIdParam(params, "id", "Rechnung nicht gefunden.");
}
