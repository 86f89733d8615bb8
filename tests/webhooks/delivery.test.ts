/**
 * Webhooks end to end on PostgreSQL: a committed change → exactly one signed
 * delivery to a receiver on loopback; a rolled-back change → none; a receiver
 * that stays down → back-off for 24 h, then the endpoint is switched off and
 * its owner mailed; a worker killed mid-POST → the next worker delivers the
 * same `webhook-id` and the log holds exactly one delivered attempt.
 */
import { spawn } from "node:child_process";
import { eq } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { instances, mailOutbox, users, webhookAttempts, webhookDeliveries, webhookEndpoints } from "@/db/schema";
import { userActor } from "@/lib/activity";
import { resetConfigForTests } from "@/lib/config";
import { reactivateInstance, suspendInstance } from "@/lib/instances/commands";
import { createWebhookEndpoint, deliverDueWebhooks, listWebhookDeliveries, rotateWebhookSecret, sendTestEvent, webhookPayloadSchema } from "@/lib/webhooks";
import { usePostgresDatabase } from "./postgres";
import { startReceiver } from "./receiver";

const database = usePostgresDatabase();
let owner: { id: string; name: string; email: string; instanceId: number | null };
let instanceId: number;
let tenantUuid: string;

beforeAll(async () => {
  process.env.WEBHOOKS_ALLOW_PRIVATE_TARGETS = "true";
  resetConfigForTests();
  const db = database.db();
  const [row] = await db.select().from(users).where(eq(users.email, "admin@firma.de"));
  owner = { id: row!.id, name: row!.name, email: row!.email, instanceId: row!.instanceId };
  instanceId = owner.instanceId!;
  const [instance] = await db.select().from(instances).where(eq(instances.id, instanceId));
  tenantUuid = instance!.uuid;
});
afterAll(() => {
  delete process.env.WEBHOOKS_ALLOW_PRIVATE_TARGETS;
  resetConfigForTests();
});

const actor = () => userActor({ userId: owner.id, name: owner.name, staff: false }, "127.0.0.1");
const staff = () => userActor({ userId: owner.id, name: "MSP", staff: true }, "127.0.0.1");

async function register(url: string, events: ("instance.suspended" | "instance.reactivated")[] = ["instance.suspended"]) {
  return createWebhookEndpoint(actor(), { scope: { instanceId }, url, events });
}

async function clearOutbox() {
  const db = database.db();
  await db.delete(webhookEndpoints);
}

describe("a committed change", () => {
  it("is delivered exactly once, signed per Standard Webhooks, with a documented payload", async () => {
    await clearOutbox();
    const receiver = await startReceiver();
    try {
      const { secret, endpoint } = await register(receiver.url);
      await suspendInstance(staff(), { instanceId, reason: "Test der Webhooks" });

      const first = await deliverDueWebhooks();
      const second = await deliverDueWebhooks();
      expect(first.delivered).toBe(1);
      expect(second).toEqual({ delivered: 0, retried: 0, failed: 0, disabled: 0, interrupted: 0 });
      expect(receiver.received).toHaveLength(1);

      const [req] = receiver.received;
      const verified = new Webhook(secret).verify(req!.body, req!.headers as Record<string, string>);
      const payload = webhookPayloadSchema("instance.suspended").parse(verified);
      expect(payload.data).toEqual({ tenant_id: tenantUuid, reason: "Test der Webhooks" });
      expect(req!.headers["webhook-id"]).toMatch(/^msg_[0-9a-f]{32}$/);
      expect(() => new Webhook(`whsec_${Buffer.from("x".repeat(24)).toString("base64")}`).verify(req!.body, req!.headers as Record<string, string>)).toThrow();

      const log = await listWebhookDeliveries({ instanceId }, endpoint.id);
      expect(log.deliveries).toHaveLength(1);
      expect(log.deliveries[0]).toMatchObject({ status: "delivered", attempts: 1, last_status_code: 200, event_type: "instance.suspended" });
      expect(log.deliveries[0]!.attempt_log).toEqual([expect.objectContaining({ attempt: 1, outcome: "delivered", status_code: 200 })]);
      expect(log.deliveries[0]!.attempt_log[0]!.duration_ms).toBeGreaterThanOrEqual(0);
    } finally {
      await reactivateInstance(staff(), { instanceId }).catch(() => undefined);
      await receiver.close();
    }
  });

  it("a change that rolls back queues nothing; another tenant's endpoint hears nothing", async () => {
    await clearOutbox();
    const db = database.db();
    const receiver = await startReceiver();
    try {
      await register(receiver.url);
      // suspending an already suspended instance fails inside the command's transaction
      await suspendInstance(staff(), { instanceId, reason: "eins" });
      await expect(suspendInstance(staff(), { instanceId, reason: "zwei" })).rejects.toThrow();
      const [otherInstance] = await db.select().from(instances).where(eq(instances.name, "bergmann"));
      await suspendInstance(staff(), { instanceId: otherInstance!.id, reason: "fremd" });
      await deliverDueWebhooks();
      expect(receiver.received.map((r) => JSON.parse(r.body).data.reason)).toEqual(["eins"]);
      await reactivateInstance(staff(), { instanceId: otherInstance!.id });
    } finally {
      await reactivateInstance(staff(), { instanceId }).catch(() => undefined);
      await receiver.close();
    }
  });

  it("during a secret rotation both secrets verify; the test event goes to one endpoint", async () => {
    await clearOutbox();
    const receiver = await startReceiver();
    try {
      const { secret: oldSecret, endpoint } = await register(receiver.url);
      const { secret: newSecret } = await rotateWebhookSecret(actor(), { scope: { instanceId }, id: endpoint.id, overlapHours: 24 });
      const { message_id } = await sendTestEvent(actor(), { scope: { instanceId }, id: endpoint.id });
      await deliverDueWebhooks();
      expect(receiver.received).toHaveLength(1);
      const [req] = receiver.received;
      expect(req!.headers["webhook-id"]).toBe(message_id);
      expect(String(req!.headers["webhook-signature"]).split(" ")).toHaveLength(2);
      for (const secret of [oldSecret, newSecret]) {
        expect(webhookPayloadSchema("webhook.test").parse(new Webhook(secret).verify(req!.body, req!.headers as Record<string, string>)).type).toBe("webhook.test");
      }
      // without overlap only the new secret signs
      const { secret: third } = await rotateWebhookSecret(actor(), { scope: { instanceId }, id: endpoint.id, overlapHours: 0 });
      await sendTestEvent(actor(), { scope: { instanceId }, id: endpoint.id });
      await deliverDueWebhooks();
      const last = receiver.received[1]!;
      expect(String(last.headers["webhook-signature"]).split(" ")).toHaveLength(1);
      expect(() => new Webhook(newSecret).verify(last.body, last.headers as Record<string, string>)).toThrow();
      expect(() => new Webhook(third).verify(last.body, last.headers as Record<string, string>)).not.toThrow();
    } finally {
      await receiver.close();
    }
  });
});

describe("a receiver that stays down", () => {
  it("is retried with exponential back-off for 24 hours, then switched off and its owner mailed", async () => {
    await clearOutbox();
    const db = database.db();
    const receiver = await startReceiver(() => 503);
    try {
      const { endpoint } = await register(receiver.url);
      await suspendInstance(staff(), { instanceId, reason: "Empfänger down" });
      const start = Date.now();
      let now = new Date(start);
      const gaps: number[] = [];
      let disabled = 0;
      for (let i = 0; i < 40 && disabled === 0; i++) {
        const run = await deliverDueWebhooks({ now });
        disabled += run.disabled;
        const [delivery] = await db.select().from(webhookDeliveries);
        if (disabled === 0) {
          gaps.push((delivery!.nextAttemptAt.getTime() - now.getTime()) / 1000);
          now = delivery!.nextAttemptAt;
        }
      }
      expect(disabled).toBe(1);
      expect(gaps.slice(0, 5)).toEqual([30, 60, 120, 240, 480]);
      expect(Math.max(...gaps)).toBe(3 * 3600);
      expect(now.getTime() - start).toBeGreaterThanOrEqual(24 * 3600 * 1000);
      expect(now.getTime() - start).toBeLessThan(27 * 3600 * 1000);
      expect(receiver.received.length).toBe(gaps.length + 1);
      // every attempt carried the same webhook-id
      expect(new Set(receiver.received.map((r) => r.headers["webhook-id"])).size).toBe(1);

      const [row] = await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.uuid, endpoint.id));
      expect(row).toMatchObject({ enabled: false, disabledReason: "failing" });
      const [delivery] = await db.select().from(webhookDeliveries);
      expect(delivery!.status).toBe("failed");
      const mails = await db.select().from(mailOutbox).where(eq(mailOutbox.to, owner.email.toLowerCase()));
      expect(mails.filter((m) => m.subject.startsWith("Webhook-Endpunkt deaktiviert"))).toHaveLength(1);
      expect(mails.find((m) => m.subject.startsWith("Webhook-Endpunkt deaktiviert"))!.text).toContain("HTTP 503");

      // a disabled endpoint receives nothing more
      const before = receiver.received.length;
      await reactivateInstance(staff(), { instanceId });
      await deliverDueWebhooks({ now: new Date(now.getTime() + 3600_000) });
      expect(receiver.received.length).toBe(before);
    } finally {
      await reactivateInstance(staff(), { instanceId }).catch(() => undefined);
      await receiver.close();
    }
  });
});

describe("a worker killed mid-delivery", () => {
  it("the next worker delivers the same webhook-id; exactly one attempt is recorded as delivered", async () => {
    await clearOutbox();
    const db = database.db();
    let answered = false;
    const receiver = await startReceiver(() => (answered ? 200 : "hang"));
    try {
      const { secret } = await register(receiver.url);
      await suspendInstance(staff(), { instanceId, reason: "Absturz" });

      const child = spawn(process.execPath, ["--import", "tsx", "tests/webhooks/deliver-once.ts"], {
        env: { ...process.env, DATABASE_URL: database.url, WEBHOOKS_ALLOW_PRIVATE_TARGETS: "true", WEBHOOK_LEASE_SECONDS: "30", LOG_LEVEL: "silent" },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stderr = "";
      child.stderr.on("data", (c) => (stderr += c));
      const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
      await receiver.waitFor(1, 30_000).catch((error) => {
        throw new Error(`${error.message}; worker stderr: ${stderr}`);
      });
      child.kill("SIGKILL");
      await exited;

      const [claimed] = await db.select().from(webhookDeliveries);
      expect(claimed).toMatchObject({ status: "sending", attempts: 1 });
      // Before the lease runs out nobody else takes it.
      expect(await deliverDueWebhooks()).toMatchObject({ delivered: 0 });

      answered = true;
      const run = await deliverDueWebhooks({ now: new Date(Date.now() + 31_000) });
      expect(run.delivered).toBe(1);
      expect(receiver.received).toHaveLength(2);
      expect(receiver.received[1]!.headers["webhook-id"]).toBe(receiver.received[0]!.headers["webhook-id"]);
      new Webhook(secret).verify(receiver.received[1]!.body, receiver.received[1]!.headers as Record<string, string>);

      const attempts = await db.select().from(webhookAttempts).orderBy(webhookAttempts.attempt);
      expect(attempts.map((a) => [a.attempt, a.outcome])).toEqual([
        [1, "interrupted"],
        [2, "delivered"],
      ]);
      const [delivery] = await db.select().from(webhookDeliveries);
      expect(delivery).toMatchObject({ status: "delivered", attempts: 2 });
      // A receiver that keeps the ids it processed sees the event once.
      expect(new Set(receiver.received.map((r) => r.headers["webhook-id"])).size).toBe(1);
      expect(await deliverDueWebhooks({ now: new Date(Date.now() + 3600_000) })).toMatchObject({ delivered: 0 });
    } finally {
      await reactivateInstance(staff(), { instanceId }).catch(() => undefined);
      await receiver.close();
    }
  }, 60_000);
});
