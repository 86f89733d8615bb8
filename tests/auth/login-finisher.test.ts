import { and, desc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { POST as manageLoginRoute } from "@/app/api/manage/auth/login/route";
import { POST as v1LoginRoute } from "@/app/api/v1/auth/login/route";
import { activityLog, sessions, tokenFamilies, users } from "@/db/schema";
import { DEMO_PASSWORD } from "@/db/seed";
import { LOGIN_ACTION } from "@/lib/auth/login";
import { authOptions } from "@/lib/auth/next-auth";
import { settleAuditWrites } from "@/lib/auth/credentials";
import { useTestDatabase } from "../helpers/db";
import { call } from "../helpers/http";
import { latestCode, loginWith2fa, setTwoFactor, uniqueIp } from "../v1/helpers";

/**
 * Every door (manage API, the portal's login form incl. its 2FA step, API v1
 * incl. its 2FA step) finishes a login the same way: one credential, the last
 * login set, one `manage.login` entry by the user — through `finishLogin`.
 */
const database = useTestDatabase();
const email = "admin@firma.de";

type Authorize = (c: Record<string, string>, req: unknown) => Promise<{ sessionToken: string } | null>;
const authorize: Authorize = (credentials, req) =>
  (authOptions().providers[0] as unknown as { options: { authorize: Authorize } }).options.authorize(credentials, req);
const browserReq = () => ({ headers: { "x-forwarded-for": uniqueIp(), "user-agent": "vitest-browser" } });

async function user() {
  const [row] = await database.db().select().from(users).where(eq(users.email, email));
  return row;
}

async function counts(userId: string) {
  const db = database.db();
  const s = await db.select({ kind: sessions.kind }).from(sessions).where(eq(sessions.userId, userId));
  const f = await db.select({ id: tokenFamilies.id }).from(tokenFamilies).where(eq(tokenFamilies.userId, userId));
  const logins = await db
    .select({ id: activityLog.id })
    .from(activityLog)
    .where(and(eq(activityLog.userId, userId), eq(activityLog.action, LOGIN_ACTION)));
  return { api: s.filter((r) => r.kind === "api").length, browser: s.filter((r) => r.kind === "browser").length, families: f.length, logins: logins.length };
}

async function newestEntry(userId: string) {
  await settleAuditWrites(); // failed-login entries are written beside the answer (timing), not before it
  const [row] = await database.db().select().from(activityLog).where(eq(activityLog.userId, userId)).orderBy(desc(activityLog.id)).limit(1);
  return row;
}

/** Runs one login through a door and checks what the finisher must have done. */
async function expectFinished(door: "manage_api" | "browser" | "api_v1", twoFactor: boolean, run: () => Promise<void>) {
  const before = await user();
  await database.db().update(users).set({ lastLoginAt: null }).where(eq(users.id, before.id));
  const was = await counts(before.id);
  await run();
  const now = await counts(before.id);
  expect(now.logins).toBe(was.logins + 1);
  expect(now.api - was.api).toBe(door === "manage_api" ? 1 : 0);
  expect(now.browser - was.browser).toBe(door === "browser" ? 1 : 0);
  expect(now.families - was.families).toBe(door === "api_v1" ? 1 : 0);
  expect((await user()).lastLoginAt).toBeInstanceOf(Date);
  const entry = await newestEntry(before.id);
  expect(entry).toMatchObject({
    action: "manage.login",
    level: "info",
    actorType: "user",
    actorName: before.name,
    instanceId: before.instanceId,
    metadata: { via: door, two_factor: twoFactor },
  });
  return entry;
}

describe("one login finisher for every door", () => {
  it("manage API, browser and API v1 logins record the same action, a credential and the last login", async () => {
    await setTwoFactor(email, false);
    const manage = await expectFinished("manage_api", false, async () => {
      const res = await call(manageLoginRoute, "POST", "/api/manage/auth/login", { body: { email, password: DEMO_PASSWORD }, ip: uniqueIp() });
      expect(res.status).toBe(200);
    });
    const browser = await expectFinished("browser", false, async () => {
      expect(await authorize({ email, password: DEMO_PASSWORD }, browserReq())).toMatchObject({ sessionToken: expect.any(String) });
    });
    const v1 = await expectFinished("api_v1", false, async () => {
      const res = await call(v1LoginRoute, "POST", "/api/v1/auth/login", { body: { email, password: DEMO_PASSWORD }, ip: uniqueIp() });
      expect(res.status).toBe(200);
      expect(res.json.access_token).toBeTypeOf("string");
    });
    expect(new Set([manage.action, browser.action, v1.action])).toEqual(new Set(["manage.login"]));
  });

  it("the 2FA steps of the browser and of API v1 finish through it as well", async () => {
    await setTwoFactor(email, true);
    try {
      await expectFinished("browser", true, async () => {
        const first = await authorize({ email, password: DEMO_PASSWORD }, browserReq()).catch((e: Error) => e);
        expect(first).toBeInstanceOf(Error);
        const challenge = /^2FA_REQUIRED:(tx_\S+)$/.exec((first as Error).message)?.[1];
        expect(challenge).toBeTypeOf("string");
        const code = await latestCode(email);
        expect(await authorize({ challenge_token: challenge!, code }, browserReq())).toMatchObject({ sessionToken: expect.any(String) });
      });
      await expectFinished("api_v1", true, async () => {
        await loginWith2fa(email);
      });
    } finally {
      await setTwoFactor(email, false);
    }
  });

  it("a wrong password is one failed-login action by an anonymous actor, whichever door", async () => {
    const account = await user();
    const doors = [
      async () => call(manageLoginRoute, "POST", "/api/manage/auth/login", { body: { email, password: "falsch-falsch" }, ip: uniqueIp() }),
      async () => authorize({ email, password: "falsch-falsch" }, browserReq()).catch((e) => e),
      async () => call(v1LoginRoute, "POST", "/api/v1/auth/login", { body: { email, password: "falsch-falsch" }, ip: uniqueIp() }),
    ];
    const vias = [];
    for (const attempt of doors) {
      const last = await database.db().update(users).set({ lastLoginAt: null }).where(eq(users.id, account.id)).returning();
      expect(last).toHaveLength(1);
      await attempt();
      const entry = await newestEntry(account.id);
      expect(entry).toMatchObject({ action: "manage.login_failed", level: "warning", actorType: "anonymous", actorName: account.name });
      vias.push((entry.metadata as { via: string }).via);
      expect((await user()).lastLoginAt).toBeNull();
    }
    expect(vias).toEqual(["manage_api", "browser", "api_v1"]);
  });
});
