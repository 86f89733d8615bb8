/**
 * One command, several doors: suspend, reactivate, link and unlink through
 * the manage admin API and through API v1 must leave the same rows and the
 * same activity entries (code, level, actor, description, metadata).
 */
import { desc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { POST as manageReactivate } from "@/app/api/manage/admin/instances/[id]/reactivate/route";
import { DELETE as manageUnlink, PUT as manageLink } from "@/app/api/manage/admin/instances/[id]/server/route";
import { POST as manageSuspend } from "@/app/api/manage/admin/instances/[id]/suspend/route";
import { DELETE as v1Unlink } from "@/app/api/v1/hosts/[id]/route";
import { PUT as v1Link } from "@/app/api/v1/tenants/[id]/host/route";
import { POST as v1Suspend } from "@/app/api/v1/tenants/[id]/suspend/route";
import { POST as v1Reactivate } from "@/app/api/v1/tenants/[id]/unsuspend/route";
import { activityLog, instances, servers } from "@/db/schema";
import { DEMO_SERVERS } from "@/lib/hetzner/simulator";
import { loginAs, STAFF } from "../admin/helpers";
import { useTestDatabase } from "../helpers/db";
import { useHetznerSimulator } from "../helpers/hetzner";
import { call } from "../helpers/http";
import { v1Login } from "../v1/helpers";

const database = useTestDatabase();
useHetznerSimulator({ servers: [...DEMO_SERVERS] });

async function instanceRow(name: string) {
  const [row] = await database.db().select().from(instances).where(eq(instances.name, name));
  return row;
}

/** The instance's state without the columns that differ by time of day only. */
async function instanceState(id: number) {
  const [row] = await database.db().select().from(instances).where(eq(instances.id, id));
  return { suspended: row.suspended, suspendedReason: row.suspendedReason, suspendedAtSet: row.suspendedAt !== null };
}

async function serverState(instanceId: number) {
  const [row] = await database.db().select().from(servers).where(eq(servers.instanceId, instanceId));
  const { updatedAt, lastSyncedAt, ...rest } = row;
  return { ...rest, synced: lastSyncedAt !== null, updatedAtSet: updatedAt !== null };
}

/** The newest activity entry of an instance, without id, number and time. */
async function lastEntry(instanceId: number) {
  const [row] = await database
    .db()
    .select()
    .from(activityLog)
    .where(eq(activityLog.instanceId, instanceId))
    .orderBy(desc(activityLog.createdAt), desc(activityLog.id))
    .limit(1);
  const { id, seq, kindSeq, createdAt, ip, ...rest } = row; // numbers differ by design: each door wrote its own entry
  return rest;
}

async function entryCount(instanceId: number, action: string) {
  const rows = await database.db().select().from(activityLog).where(eq(activityLog.instanceId, instanceId));
  return rows.filter((r) => r.action === action).length;
}

type Doors = { manage: string; v1: string };

async function signIn(): Promise<Doors> {
  return { manage: await loginAs(STAFF), v1: (await v1Login(STAFF)).access_token };
}

describe("suspend and reactivate: manage admin API and API v1", () => {
  it("leave the same instance row and the same activity entry", async () => {
    const tokens = await signIn();
    const inst = await instanceRow("acme");
    const params = { id: String(inst.id) };
    const v1Params = { id: inst.uuid };

    const viaManage = await call(manageSuspend, "POST", `/api/manage/admin/instances/${inst.id}/suspend`, { token: tokens.manage, params, body: { reason: "Zahlungsverzug" } });
    expect(viaManage.status).toBe(200);
    const manageRow = await instanceState(inst.id);
    const manageEntry = await lastEntry(inst.id);
    expect(manageRow).toEqual({ suspended: true, suspendedReason: "Zahlungsverzug", suspendedAtSet: true });
    expect(manageEntry).toMatchObject({ action: "instance.suspended", level: "warning", actorType: "staff", actorName: "Sabine Krüger" });

    const back = await call(manageReactivate, "POST", `/api/manage/admin/instances/${inst.id}/reactivate`, { token: tokens.manage, params, body: {} });
    expect(back.status).toBe(200);
    const manageBackRow = await instanceState(inst.id);
    const manageBackEntry = await lastEntry(inst.id);
    expect(manageBackRow).toEqual({ suspended: false, suspendedReason: null, suspendedAtSet: false });
    expect(manageBackEntry).toMatchObject({ action: "instance.reactivated", level: "info", actorType: "staff" });

    const viaV1 = await call(v1Suspend, "POST", `/api/v1/tenants/${inst.uuid}/suspend`, { token: tokens.v1, params: v1Params, body: { reason: "Zahlungsverzug" } });
    expect(viaV1.status).toBe(200);
    expect(viaV1.json.tenant).toMatchObject({ suspended: true, suspended_reason: "Zahlungsverzug" });
    expect(await instanceState(inst.id)).toEqual(manageRow);
    expect(await lastEntry(inst.id)).toEqual(manageEntry);

    const v1Back = await call(v1Reactivate, "POST", `/api/v1/tenants/${inst.uuid}/unsuspend`, { token: tokens.v1, params: v1Params });
    expect(v1Back.status).toBe(200);
    expect(await instanceState(inst.id)).toEqual(manageBackRow);
    expect(await lastEntry(inst.id)).toEqual(manageBackEntry);
  });

  it("two parallel suspends: exactly one succeeds, the other gets 409, one entry is logged", async () => {
    const tokens = await signIn();
    const inst = await instanceRow("bergmann");
    const before = await entryCount(inst.id, "instance.suspended");
    const results = await Promise.all([
      call(v1Suspend, "POST", `/api/v1/tenants/${inst.uuid}/suspend`, { token: tokens.v1, params: { id: inst.uuid }, body: { reason: "Grund A" } }),
      call(v1Suspend, "POST", `/api/v1/tenants/${inst.uuid}/suspend`, { token: tokens.v1, params: { id: inst.uuid }, body: { reason: "Grund B" } }),
      call(manageSuspend, "POST", `/api/manage/admin/instances/${inst.id}/suspend`, { token: tokens.manage, params: { id: String(inst.id) }, body: { reason: "Grund C" } }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409]);
    expect(await entryCount(inst.id, "instance.suspended")).toBe(before + 1);
    const winner = ["Grund A", "Grund B", "Grund C"][results.findIndex((r) => r.status === 200)];
    expect((await instanceState(inst.id)).suspendedReason).toBe(winner);

    const again = await Promise.all([
      call(v1Reactivate, "POST", `/api/v1/tenants/${inst.uuid}/unsuspend`, { token: tokens.v1, params: { id: inst.uuid } }),
      call(manageReactivate, "POST", `/api/manage/admin/instances/${inst.id}/reactivate`, { token: tokens.manage, params: { id: String(inst.id) }, body: {} }),
    ]);
    expect(again.map((r) => r.status).sort()).toEqual([200, 409]);
  });
});

describe("link and unlink: manage admin API and API v1", () => {
  it("leave the same server row (IP, type, datacenter cleared on unlink) and the same activity entries", async () => {
    const tokens = await signIn();
    const inst = await instanceRow("nordlicht");
    const params = { id: String(inst.id) };

    const unlinked = await call(manageUnlink, "DELETE", `/api/manage/admin/instances/${inst.id}/server`, { token: tokens.manage, params });
    expect(unlinked.status).toBe(200);
    const manageUnlinkedRow = await serverState(inst.id);
    const manageUnlinkEntry = await lastEntry(inst.id);
    expect(manageUnlinkedRow).toMatchObject({ hetznerServerId: null, name: null, ipv4: null, serverType: null, datacenter: null, status: "unknown", healthStatus: "unknown", synced: false });
    expect(manageUnlinkEntry).toMatchObject({ action: "server.unlinked", level: "warning", actorType: "staff", actorName: "Sabine Krüger", metadata: { hetzner_server_id: 1003 } });

    const linked = await call(manageLink, "PUT", `/api/manage/admin/instances/${inst.id}/server`, { token: tokens.manage, params, body: { hetzner_server_id: 1003 } });
    expect(linked.status).toBe(200);
    const manageLinkedRow = await serverState(inst.id);
    const manageLinkEntry = await lastEntry(inst.id);
    expect(manageLinkedRow).toMatchObject({ hetznerServerId: 1003, ipv4: "95.216.78.90", serverType: "cx32", status: "online", synced: true });
    expect(manageLinkEntry).toMatchObject({ action: "server.linked", level: "info", actorType: "staff", metadata: { hetzner_server_id: 1003, previous: null } });

    // The same two commands through API v1.
    const v1Unlinked = await call(v1Unlink, "DELETE", "/api/v1/hosts/1003", { token: tokens.v1, params: { id: "1003" } });
    expect(v1Unlinked.status).toBe(200);
    expect(v1Unlinked.json.id).toBe(1003);
    expect(await serverState(inst.id)).toEqual(manageUnlinkedRow);
    expect(await lastEntry(inst.id)).toEqual(manageUnlinkEntry);

    const v1Linked = await call(v1Link, "PUT", `/api/v1/tenants/${inst.uuid}/host`, { token: tokens.v1, params: { id: inst.uuid }, body: { hetzner_server_id: 1003 } });
    expect(v1Linked.status).toBe(200);
    expect(v1Linked.json.host).toMatchObject({ id: 1003, tenant_id: inst.uuid, ipv4: "95.216.78.90" });
    expect(await serverState(inst.id)).toEqual(manageLinkedRow);
    expect(await lastEntry(inst.id)).toEqual(manageLinkEntry);

    // Both doors refuse the same way: a server that belongs to another instance, an unlinked host.
    const taken = await call(v1Link, "PUT", `/api/v1/tenants/${inst.uuid}/host`, { token: tokens.v1, params: { id: inst.uuid }, body: { hetzner_server_id: 1001 } });
    expect(taken.status).toBe(422);
    const takenManage = await call(manageLink, "PUT", `/api/manage/admin/instances/${inst.id}/server`, { token: tokens.manage, params, body: { hetzner_server_id: 1001 } });
    expect(takenManage.status).toBe(422);
    await call(v1Unlink, "DELETE", "/api/v1/hosts/1003", { token: tokens.v1, params: { id: "1003" } });
    expect((await call(v1Unlink, "DELETE", "/api/v1/hosts/1003", { token: tokens.v1, params: { id: "1003" } })).status).toBe(404);
    expect((await call(manageUnlink, "DELETE", `/api/manage/admin/instances/${inst.id}/server`, { token: tokens.manage, params })).status).toBe(409);
  });

  it("answers 404 for host ids beyond the integer range instead of a database error", async () => {
    const tokens = await signIn();
    for (const id of ["2147483648", "99999999999", "-1", "0", "abc"]) {
      const res = await call(v1Unlink, "DELETE", `/api/v1/hosts/${id}`, { token: tokens.v1, params: { id } });
      expect(res.status, id).toBe(404);
    }
  });
});
