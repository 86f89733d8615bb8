import { NextResponse, type NextRequest } from "next/server";
import { config } from "@/lib/config";
import { readOutbox } from "@/lib/mail";

/** Development and tests only: the captured mails (DEV_TOOLS). */
export async function GET(req: NextRequest) {
  if (!config().devTools || config().mailTransport !== "outbox") {
    return NextResponse.json({ message: "Nicht gefunden." }, { status: 404 });
  }
  const to = req.nextUrl.searchParams.get("to") ?? undefined;
  const mails = await readOutbox(to, 20);
  return NextResponse.json({ mails: mails.map((m) => ({ ...m, createdAt: m.createdAt.toISOString() })) });
}
