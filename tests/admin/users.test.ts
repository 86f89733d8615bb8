import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { GET as instanceUsers, POST as inviteToInstance } from "@/app/api/manage/admin/instances/[id]/users/route";
import { GET as instanceActivity } from "@/app/api/manage/admin/instances/[id]/activity-log/route";
import { GET as listUsers, POST as inviteUser } from "@/app/api/manage/admin/users/route";
import { PUT as setRoles } from "@/app/api/manage/admin/users/[id]/roles/route";
import { POST as deactivate } from "@/app/api/manage/admin/users/[id]/deactivate/route";
import { POST as activate } from "@/app/api/manage/admin/users/[id]/activate/route";
import { POST as reset2fa } from "@/app/api/manage/admin/users/[id]/reset-2fa/route";
import { POST as resend } from "@/app/api/manage/admin/users/[id]/resend-invitation/route";
import { GET as roles } from "@/app/api/manage/admin/roles/route";
import { POST as login } from "@/app/api/manage/auth/login/route";
import { GET as me } from "@/app/api/manage/auth/me/route";
import { POST as resetPassword } from "@/app/api/manage/auth/reset-password/route";
import { instances, passwordResetTokens, users } from "@/db/schema";
import { readOutbox } from "@/lib/mail";
import { useTestDatabase } from "../helpers/db";
import { call } from "../helpers/http";
import { CUSTOMER, freshIp, loginAs, STAFF, SUPPORT } from "./helpers";

const database = useTestDatabase();

async function instanceId(name: string) {
  const [row] = await database.db().select({ id: instances.id }).from(instances).where(eq(instances.name, name));
  return row.id;
}
async function userId(email: string) {
  const [row] = await database.db().select({ id: users.id }).from(users).where(eq(users.email, email));
  return row.id;
}

function linkFrom(text: string) {
  return new URL(/https?:\/\/\S+/.exec(text)![0]);
}

describe("inviting users", () => {
  it("invites a customer user: expiring single-use set-password link, then login works; logged with the staff name", async () => {
    const staff = await loginAs(STAFF);
    const id = await instanceId("acme");
    const res = await call(inviteToInstance, "POST", `/api/manage/admin/instances/${id}/users`, {
      token: staff,
      params: { id: String(id) },
      body: { email: " Neu@Firma.DE ", name: "Nina Neu", roles: ["customer_viewer"] },
    });
    expect(res.status, JSON.stringify(res.json)).toBe(201);
    expect(res.json.user).toMatchObject({ email: "neu@firma.de", status: "invited", instance_id: id, roles: [{ key: "customer_viewer" }] });
    expect(JSON.stringify(res.json)).not.toMatch(/hash|token/i);

    const [mail] = await readOutbox("neu@firma.de", 1);
    expect(mail.subject).toBe("Einladung zum Manage-Portal");
    expect(mail.text).toContain("Sabine Krüger hat Sie zum Manage-Portal eingeladen (für Acme Corp)");
    const link = linkFrom(mail.text);
    expect(link.pathname).toBe("/passwort-zuruecksetzen");
    const token = link.searchParams.get("token")!;
    const [stored] = await database.db().select().from(passwordResetTokens).where(eq(passwordResetTokens.purpose, "invite"));
    expect(stored.tokenHash).not.toBe(token);
    const hours = (stored.expiresAt.getTime() - Date.now()) / 3600_000;
    expect(hours).toBeGreaterThan(71);
    expect(hours).toBeLessThanOrEqual(72);

    // No password yet: login impossible.
    const early = await call(login, "POST", "/api/manage/auth/login", { body: { email: "neu@firma.de", password: "irgendwas1" }, ip: freshIp() });
    expect(early.status).toBe(401);

    const body = { email: link.searchParams.get("email"), token, password: "mein-passwort-1", password_confirmation: "mein-passwort-1" };
    expect((await call(resetPassword, "POST", "/api/manage/auth/reset-password", { body, ip: freshIp() })).status).toBe(200);
    expect((await call(resetPassword, "POST", "/api/manage/auth/reset-password", { body, ip: freshIp() })).status).toBe(422);
    const session = await loginAs("neu@firma.de", "mein-passwort-1");
    const who = await call(me, "GET", "/api/manage/auth/me", { token: session });
    expect(who.json.instance.name).toBe("acme");
    expect(who.json.user.permissions).not.toContain("host.power");

    const log = await call(instanceActivity, "GET", `/api/manage/admin/instances/${id}/activity-log?per_page=10`, { token: staff, params: { id: String(id) } });
    const invited = log.json.logs.find((l: { action: string }) => l.action === "admin.user_invited");
    expect(invited).toMatchObject({ actor: "Sabine Krüger" });
    expect(invited.description).toContain("neu@firma.de");
    expect(log.json.logs.some((l: { action: string }) => l.action === "manage.invitation_accepted")).toBe(true);
  });

  it("refuses an e-mail that already has an account, unknown roles and staff roles for customers", async () => {
    const staff = await loginAs(STAFF);
    const id = String(await instanceId("acme"));
    const post = (body: unknown) => call(inviteToInstance, "POST", `/api/manage/admin/instances/${id}/users`, { token: staff, params: { id }, body });
    const dup = await post({ email: "it@bergmann-logistik.de", name: "Doppelt", roles: ["customer_admin"] });
    expect(dup.status).toBe(422);
    expect(dup.json.errors.email).toEqual(["Für diese E-Mail-Adresse gibt es bereits ein Konto."]);
    const unknown = await post({ email: "x@firma.de", name: "X Y", roles: ["gott"] });
    expect(unknown.status).toBe(422);
    expect(unknown.json.errors.roles[0]).toContain("Unbekannte Rolle");
    const staffRole = await post({ email: "x@firma.de", name: "X Y", roles: ["super_admin"] });
    expect(staffRole.status).toBe(422);
    expect(staffRole.json.errors.roles[0]).toContain("keine MSP-Rollen");
    const invalid = await post({ email: "kein-at", name: "", roles: [] });
    expect(invalid.status).toBe(422);
    expect(Object.keys(invalid.json.errors).sort()).toEqual(["email", "name", "roles"]);
    const rows = await database.db().select().from(users).where(eq(users.email, "x@firma.de"));
    expect(rows).toHaveLength(0);
  });

  it("invites MSP staff with staff roles only; a resend replaces the old link", async () => {
    const staff = await loginAs(STAFF);
    const wrong = await call(inviteUser, "POST", "/api/manage/admin/users", {
      token: staff,
      body: { email: "kollege@myit.center", name: "Karl Kollege", roles: ["customer_admin"] },
    });
    expect(wrong.status).toBe(422);
    expect(wrong.json.errors.roles[0]).toContain("nur MSP-Rollen");
    const res = await call(inviteUser, "POST", "/api/manage/admin/users", {
      token: staff,
      body: { email: "kollege@myit.center", name: "Karl Kollege", roles: ["msp_support"] },
    });
    expect(res.status).toBe(201);
    expect(res.json.user).toMatchObject({ staff: true, instance_id: null, status: "invited" });
    const first = linkFrom((await readOutbox("kollege@myit.center", 1))[0].text);
    const again = await call(resend, "POST", "/api/manage/admin/users/{id}/resend-invitation", { token: staff, params: { id: res.json.user.id } });
    expect(again.status).toBe(200);
    const second = linkFrom((await readOutbox("kollege@myit.center", 1))[0].text);
    expect(second.searchParams.get("token")).not.toBe(first.searchParams.get("token"));
    const old = await call(resetPassword, "POST", "/api/manage/auth/reset-password", {
      body: { email: "kollege@myit.center", token: first.searchParams.get("token"), password: "passwort-123", password_confirmation: "passwort-123" },
    });
    expect(old.status).toBe(422);
    const ok = await call(resetPassword, "POST", "/api/manage/auth/reset-password", {
      body: { email: "kollege@myit.center", token: second.searchParams.get("token"), password: "passwort-123", password_confirmation: "passwort-123" },
    });
    expect(ok.status).toBe(200);
    const session = await loginAs("kollege@myit.center", "passwort-123");
    expect((await call(me, "GET", "/api/manage/auth/me", { token: session })).json.user.staff).toBe(true);
    expect((await call(resend, "POST", "/api/manage/admin/users/{id}/resend-invitation", { token: staff, params: { id: res.json.user.id } })).status).toBe(422);

    const list = await call(listUsers, "GET", "/api/manage/admin/users?scope=staff", { token: staff });
    expect(list.json.users.map((u: { email: string }) => u.email).sort()).toEqual(["kollege@myit.center", "msp-admin@myit.center", "support@myit.center"]);
    expect(JSON.stringify(list.json)).not.toMatch(/password|hash/i);
  });

  it("lists an instance's users and the roles", async () => {
    const staff = await loginAs(STAFF);
    const id = String(await instanceId("bergmann"));
    const res = await call(instanceUsers, "GET", `/x`, { token: staff, params: { id } });
    expect(res.json.users).toHaveLength(1);
    expect(res.json.users[0]).toMatchObject({ email: "it@bergmann-logistik.de", status: "active", roles: [{ key: "customer_admin", label: "Kunden-Administrator" }] });
    const r = await call(roles, "GET", "/api/manage/admin/roles", { token: staff });
    expect(r.json.roles.map((x: { key: string }) => x.key)).toEqual(expect.arrayContaining(["super_admin", "customer_admin"]));
  });
});

describe("managing users", () => {
  it("assigns roles, deactivates (ending sessions), reactivates and resets 2FA, each logged", async () => {
    const staff = await loginAs(STAFF);
    const customer = await loginAs("it@bergmann-logistik.de");
    const uid = await userId("it@bergmann-logistik.de");
    const params = { id: uid };

    const rolesRes = await call(setRoles, "PUT", "/api/manage/admin/users/{id}/roles", { token: staff, params, body: { roles: ["customer_viewer"] } });
    expect(rolesRes.status).toBe(200);
    expect((await call(me, "GET", "/api/manage/auth/me", { token: customer })).json.user.permissions).not.toContain("domain.write");
    const badRoles = await call(setRoles, "PUT", "/api/manage/admin/users/{id}/roles", { token: staff, params, body: { roles: ["msp_support"] } });
    expect(badRoles.status).toBe(422);
    expect((await call(setRoles, "PUT", "/api/manage/admin/users/{id}/roles", { token: staff, params, body: { roles: [] } })).status).toBe(422);

    await database.db().update(users).set({ twoFactorEnabled: true }).where(eq(users.id, uid));
    const twofa = await call(reset2fa, "POST", "/api/manage/admin/users/{id}/reset-2fa", { token: staff, params });
    expect(twofa.status).toBe(200);
    expect(twofa.json.user.two_factor_enabled).toBe(false);
    const [row] = await database.db().select().from(users).where(eq(users.id, uid));
    expect(row.twoFactorEnabled).toBe(false);

    const off = await call(deactivate, "POST", "/api/manage/admin/users/{id}/deactivate", { token: staff, params });
    expect(off.status).toBe(200);
    expect(off.json.user.status).toBe("deactivated");
    expect((await call(me, "GET", "/api/manage/auth/me", { token: customer })).status).toBe(401);
    const relogin = await call(login, "POST", "/api/manage/auth/login", { body: { email: "it@bergmann-logistik.de", password: "demo-passwort" }, ip: freshIp() });
    expect(relogin.status).toBe(401);
    expect((await call(deactivate, "POST", "/api/manage/admin/users/{id}/deactivate", { token: staff, params })).status).toBe(409);
    const on = await call(activate, "POST", "/api/manage/admin/users/{id}/activate", { token: staff, params });
    expect(on.status).toBe(200);
    await loginAs("it@bergmann-logistik.de");

    const id = String(await instanceId("bergmann"));
    const log = await call(instanceActivity, "GET", "/x?per_page=20", { token: staff, params: { id } });
    const actions = log.json.logs.filter((l: { actor: string }) => l.actor === "Sabine Krüger").map((l: { action: string }) => l.action);
    expect(actions).toEqual(
      expect.arrayContaining(["admin.user_roles_changed", "admin.user_2fa_reset", "admin.user_deactivated", "admin.user_activated"]),
    );
  });

  it("refuses actions on one's own account and unknown users", async () => {
    const staff = await loginAs(STAFF);
    const self = await userId(STAFF);
    const own = await call(deactivate, "POST", "/api/manage/admin/users/{id}/deactivate", { token: staff, params: { id: self } });
    expect(own.status).toBe(422);
    expect((await call(setRoles, "PUT", "/api/manage/admin/users/{id}/roles", { token: staff, params: { id: self }, body: { roles: ["msp_support"] } })).status).toBe(422);
    expect((await call(deactivate, "POST", "/api/manage/admin/users/{id}/deactivate", { token: staff, params: { id: "kein-uuid" } })).status).toBe(404);
    expect((await call(reset2fa, "POST", "/api/manage/admin/users/{id}/reset-2fa", { token: staff, params: { id: "00000000-0000-4000-8000-000000000000" } })).status).toBe(404);
  });

  it("denies user management to customers (403) and to MSP support without user.manage (403)", async () => {
    const customer = await loginAs(CUSTOMER);
    const support = await loginAs(SUPPORT);
    const uid = await userId("it@bergmann-logistik.de");
    const id = String(await instanceId("acme"));
    for (const token of [customer, support]) {
      expect((await call(listUsers, "GET", "/api/manage/admin/users", { token })).status).toBe(403);
      expect((await call(inviteUser, "POST", "/api/manage/admin/users", { token, body: { email: "a@b.de", name: "A B", roles: ["msp_support"] } })).status).toBe(403);
      expect((await call(inviteToInstance, "POST", "/api/manage/admin/instances/{id}/users", { token, params: { id }, body: { email: "a@b.de", name: "A B", roles: ["customer_admin"] } })).status).toBe(403);
      expect((await call(setRoles, "PUT", "/api/manage/admin/users/{id}/roles", { token, params: { id: uid }, body: { roles: ["customer_admin"] } })).status).toBe(403);
      expect((await call(deactivate, "POST", "/api/manage/admin/users/{id}/deactivate", { token, params: { id: uid } })).status).toBe(403);
      expect((await call(activate, "POST", "/api/manage/admin/users/{id}/activate", { token, params: { id: uid } })).status).toBe(403);
      expect((await call(reset2fa, "POST", "/api/manage/admin/users/{id}/reset-2fa", { token, params: { id: uid } })).status).toBe(403);
      expect((await call(resend, "POST", "/api/manage/admin/users/{id}/resend-invitation", { token, params: { id: uid } })).status).toBe(403);
    }
    expect((await call(roles, "GET", "/api/manage/admin/roles", { token: customer })).status).toBe(403);
    expect((await call(instanceUsers, "GET", "/api/manage/admin/instances/{id}/users", { token: customer, params: { id } })).status).toBe(403);
    const [row] = await database.db().select().from(users).where(eq(users.id, uid));
    expect(row.active).toBe(true);
  });
});
