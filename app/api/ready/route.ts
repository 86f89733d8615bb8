import { NextResponse } from "next/server";
import { readiness } from "@/lib/observability/readiness";

export const dynamic = "force-dynamic";

/** Readiness: database, migrations at head, job queue, not shutting down. 503 names only the failed check. */
export async function GET() {
  const { ready, checks } = await readiness();
  return NextResponse.json({ status: ready ? "ok" : "unavailable", checks }, { status: ready ? 200 : 503, headers: { "Cache-Control": "no-store" } });
}
