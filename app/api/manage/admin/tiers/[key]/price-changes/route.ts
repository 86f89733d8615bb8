import { NextResponse } from "next/server";
import { userActor } from "@/lib/activity";
import { scheduleTierPriceBody } from "@/lib/billing/tier-price-schemas";
import { scheduleTierPrice } from "@/lib/billing/tier-prices";
import { parseJsonBody } from "@/lib/http/body";
import { staffRoute } from "@/lib/doors/manage/route";
import { keyParam } from "@/lib/http/params";

/** Schedules a price change (201), or with `dry_run: true` answers who would be affected (200, nothing written). */
export const POST = staffRoute({ permission: "tenant.manage" }, async ({ req, ip, params, auth }) => {
  const key = keyParam(params, "key", "Tarif nicht gefunden.");
  const input = await parseJsonBody(req, scheduleTierPriceBody);
  const result = await scheduleTierPrice(userActor(auth.principal, ip), { ...input, tierKey: key });
  return result.dry_run ? result : NextResponse.json(result, { status: 201 });
});
