import { NextResponse } from "next/server";
import { config } from "@/lib/config";
import { constantTimeEqual, hashToken } from "@/lib/crypto/tokens";
import { metricsText } from "@/lib/observability/metrics";

export const dynamic = "force-dynamic";

/** Prometheus scrape endpoint, behind `Authorization: Bearer $METRICS_TOKEN`; without a token configured it does not exist. */
export async function GET(req: Request) {
  const token = config().METRICS_TOKEN;
  if (!token) return NextResponse.json({ message: "Diesen Endpunkt gibt es nicht." }, { status: 404 });
  const given = req.headers.get("authorization")?.match(/^Bearer\s+(.+)$/i)?.[1]?.trim() ?? "";
  // Hashing first makes the comparison independent of the given length, too.
  if (!constantTimeEqual(hashToken(given), hashToken(token))) {
    return NextResponse.json({ message: "Nicht angemeldet." }, { status: 401, headers: { "WWW-Authenticate": 'Bearer realm="metrics"' } });
  }
  const { contentType, body } = await metricsText();
  return new Response(body, { headers: { "Content-Type": contentType, "Cache-Control": "no-store" } });
}
