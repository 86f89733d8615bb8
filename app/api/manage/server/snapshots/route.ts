import { NextResponse } from "next/server";
import { userActor } from "@/lib/activity";
import { parseJsonBody } from "@/lib/http/body";
import { instanceRoute } from "@/lib/doors/manage/route";
import { createSnapshot, snapshotBody } from "@/lib/servers/backups";

/** POST { description }: "Snapshot erstellen" (at most 3 per instance, one per 10 minutes). */
export const POST = instanceRoute({ permission: "host.power" }, async ({ req, ip, auth: { principal }, instance }) => {
  const { description } = await parseJsonBody(req, snapshotBody);
  return NextResponse.json(await createSnapshot(userActor(principal, ip), { instanceId: instance.instance.id, description }), { status: 201 });
});
