import { todayIsoDate } from "@/lib/time";
import { and, count, eq } from "drizzle-orm";
import type { Db } from "./client";
import { activityLog, billing, instanceUsage, instances, pricingTiers, roles, servers, uptimeDays, uptimeIncidents, userRoles, users } from "./schema";
import { DEMO_USAGE } from "@/lib/instance-agent/stand-in";
import { hashPassword } from "@/lib/auth/passwords";
import { BUILT_IN_ROLES } from "@/lib/permissions";
import { actorColumns, systemActor } from "@/lib/activity/actor";
import { seedAdmin } from "./seed-admin";
import { seedInvoices } from "./seed-invoices";
import { DUNNING_STAGE_CUSTOMERS, seedDunningHistory } from "./seed-dunning";
import { billingClock } from "@/lib/billing/clock";

export const DEMO_PASSWORD = "demo-passwort";

export const DEMO_LOGINS = [
  { email: "msp-admin@myit.center", role: "MSP Super-Admin (alle Instanzen)" },
  { email: "support@myit.center", role: "MSP-Support (lesen, Server steuern)" },
  { email: "admin@firma.de", role: "Kunden-Admin der Instanz acme (Acme Corp)" },
  { email: "it@bergmann-logistik.de", role: "Kunden-Admin der Instanz bergmann (Bergmann Logistik GmbH)" },
  { email: "info@nordlicht-design.de", role: "Kunden-Admin der gesperrten Instanz nordlicht" },
  { email: "buchhaltung@sonnental-reisen.de", role: "Kunden-Admin von sonnental, vom Mahnwesen gesperrt (Demo)" },
] as const;

const TIERS = [
  { key: "starter", label: "Starter", monthlyPriceCents: 2900, maxCustomers: 20, maxDevices: 200, sortOrder: 1 },
  { key: "standard", label: "Standard", monthlyPriceCents: 4900, maxCustomers: 50, maxDevices: 500, sortOrder: 2 },
  { key: "professional", label: "Professional", monthlyPriceCents: 9900, maxCustomers: 150, maxDevices: 1500, sortOrder: 3 },
];

type DemoInstance = {
  name: string;
  companyName: string;
  tier: string;
  status: "online" | "offline" | "provisioning" | "maintenance";
  suspendedReason?: string;
  server: {
    hetznerServerId: number;
    name: string;
    ipv4: string;
    serverType: string;
    datacenter: string;
    status: string;
    healthStatus: "healthy" | "degraded" | "unhealthy" | "unknown" | "off";
  } | null;
  billing: { status: "trial" | "active" | "past_due" | "cancelled"; trialEndsAt: string | null; paidUntil: string | null };
  user: { email: string; name: string };
};

const INSTANCES: DemoInstance[] = [
  {
    name: "acme",
    companyName: "Acme Corp",
    tier: "standard",
    status: "online",
    server: { hetznerServerId: 1001, name: "acme", ipv4: "49.12.34.56", serverType: "cx22", datacenter: "nbg1", status: "online", healthStatus: "healthy" },
    billing: { status: "active", trialEndsAt: null, paidUntil: "2026-12-01" },
    user: { email: "admin@firma.de", name: "Thomas Becker" },
  },
  {
    name: "bergmann",
    companyName: "Bergmann Logistik GmbH",
    tier: "professional",
    status: "offline",
    // As the Hetzner simulator's demo server 1002: switched off, so the demo shows a server to power on.
    server: { hetznerServerId: 1002, name: "bergmann-web", ipv4: "116.203.45.67", serverType: "cpx21", datacenter: "fsn1", status: "off", healthStatus: "off" },
    billing: { status: "active", trialEndsAt: null, paidUntil: "2026-12-01" },
    user: { email: "it@bergmann-logistik.de", name: "Claudia Bergmann" },
  },
  {
    name: "nordlicht",
    companyName: "Nordlicht Design UG",
    tier: "starter",
    status: "online",
    suspendedReason: "Offene Rechnungen seit über 30 Tagen",
    server: { hetznerServerId: 1003, name: "kanzlei-db", ipv4: "95.216.78.90", serverType: "cx32", datacenter: "hel1", status: "online", healthStatus: "healthy" },
    billing: { status: "past_due", trialEndsAt: null, paidUntil: "2026-09-01" },
    user: { email: "info@nordlicht-design.de", name: "Jan Petersen" },
  },
];

/** The customers in each dunning stage (option `dunningStages`): no server yet, billed monthly, one overdue licence each. */
const DUNNING_STAGE_INSTANCES: DemoInstance[] = DUNNING_STAGE_CUSTOMERS.map((c) => ({
  name: c.name,
  companyName: c.companyName,
  tier: c.tier,
  status: "online",
  server: null,
  billing: { status: "active", trialEndsAt: null, paidUntil: null },
  user: c.user,
}));

export type SeedOptions = {
  mspDomain?: string;
  /**
   * The moment the demo is seeded. Invoices, activity and suspensions are written relative to it, so a
   * test that fixes the billing clock seeds the same calendar it then simulates (default: the billing clock).
   */
  now?: Date;
  /** Render and archive the issued demo invoices' files now (the demo and `npm run seed`); tests archive on first download. */
  archiveInvoices?: boolean;
  /**
   * Four more customers, one in each dunning stage (reminder, 1st and 2nd dunning, suspended by dunning), with their
   * history on the seed's clock (db/seed-dunning.ts). On for the demo, `npm run seed` and the browser tests' stack;
   * off for vitest, whose tests count the three base customers and their invoices.
   */
  dunningStages?: boolean;
};

/** Idempotent demo data: running it twice changes nothing the first run wrote. */
export async function seedDemoData(db: Db, options: SeedOptions = {}) {
  const mspDomain = options.mspDomain ?? "myit.center";
  const now = options.now ?? billingClock.now();
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  for (const tier of TIERS) await db.insert(pricingTiers).values(tier).onConflictDoNothing();
  for (const role of BUILT_IN_ROLES) {
    await db
      .insert(roles)
      .values(role)
      .onConflictDoUpdate({ target: roles.key, set: { label: role.label, staff: role.staff, permissions: role.permissions } });
  }

  await upsertUser(db, { email: "msp-admin@myit.center", name: "Sabine Krüger", instanceId: null, passwordHash }, "super_admin");
  await seedAdmin(db, passwordHash);

  for (const demo of options.dunningStages ? [...INSTANCES, ...DUNNING_STAGE_INSTANCES] : INSTANCES) {
    await db
      .insert(instances)
      .values({
        name: demo.name,
        companyName: demo.companyName,
        status: demo.status,
        pricingTier: demo.tier,
        portalDomain: `${demo.name}.portal.${mspDomain}`,
        meshcentralDomain: `${demo.name}.remote.${mspDomain}`,
        suspended: Boolean(demo.suspendedReason),
        suspendedReason: demo.suspendedReason ?? null,
        suspendedAt: demo.suspendedReason ? now : null,
      })
      .onConflictDoNothing({ target: instances.name });
    const [instance] = await db.select().from(instances).where(eq(instances.name, demo.name));
    if (demo.server) {
      await db
        .insert(servers)
        .values({ instanceId: instance.id, ...demo.server, lastSyncedAt: now })
        .onConflictDoNothing();
    }
    await db.insert(billing).values({ instanceId: instance.id, ...demo.billing }).onConflictDoNothing();
    const userId = await upsertUser(db, { ...demo.user, instanceId: instance.id, passwordHash }, "customer_admin");
    await seedActivity(db, instance.id, userId, demo.user.name, now);
    if (demo.server) await seedUptime(db, instance.id, UPTIME_HISTORY[demo.name] ?? { incidents: [] }, now);
    // What the demo's instance agent reports, so usage shows before the hourly job first asks.
    const usage = DEMO_USAGE[demo.name];
    if (usage) await db.insert(instanceUsage).values({ instanceId: instance.id, ...usage, reportedAt: now }).onConflictDoNothing();
  }
  await seedInvoices(db, todayIsoDate(now), { archive: options.archiveInvoices });
  if (options.dunningStages) await seedDunningHistory(db, todayIsoDate(now));
}

async function upsertUser(
  db: Db,
  user: { email: string; name: string; instanceId: number | null; passwordHash: string },
  roleKey: string,
) {
  await db.insert(users).values(user).onConflictDoNothing({ target: users.email });
  const [row] = await db.select({ id: users.id }).from(users).where(eq(users.email, user.email));
  await db.insert(userRoles).values({ userId: row.id, roleKey }).onConflictDoNothing();
  return row.id;
}

type UptimeHistory = {
  /** The most recent days without probes (server switched off). */
  offDays?: number;
  incidents: { target: "portal" | "meshcentral"; daysAgo: number; minutes: number; error: string; ongoing?: boolean }[];
};

/** 90 days of probe history, so the uptime bars have something to show on first start. */
const UPTIME_HISTORY: Record<string, UptimeHistory> = {
  acme: {
    incidents: [
      { target: "portal", daysAgo: 14, minutes: 4, error: "Keine Antwort innerhalb von 5000 ms" },
      { target: "meshcentral", daysAgo: 14, minutes: 4, error: "Keine Antwort innerhalb von 5000 ms" },
      { target: "meshcentral", daysAgo: 37, minutes: 23, error: "HTTP 502" },
      { target: "portal", daysAgo: 71, minutes: 9, error: "HTTP 503" },
    ],
  },
  bergmann: { offDays: 2, incidents: [{ target: "portal", daysAgo: 60, minutes: 12, error: "Nicht erreichbar (ECONNREFUSED)" }] },
  nordlicht: {
    incidents: [
      { target: "portal", daysAgo: 1, minutes: 0, error: "HTTP 503", ongoing: true },
      { target: "meshcentral", daysAgo: 1, minutes: 0, error: "HTTP 503", ongoing: true },
      { target: "portal", daysAgo: 45, minutes: 31, error: "HTTP 500" },
    ],
  },
};

/** Idempotent like the rest: days already counted and incidents already there are left alone. */
async function seedUptime(db: Db, instanceId: number, history: UptimeHistory, at: Date) {
  const [{ existing }] = await db.select({ existing: count() }).from(uptimeIncidents).where(eq(uptimeIncidents.instanceId, instanceId));
  if (existing > 0) return;
  const now = at.getTime();
  const dayMs = 24 * 3600_000;
  const midnight = new Date(now);
  midnight.setUTCHours(0, 0, 0, 0);
  const minutesToday = Math.max(1, Math.floor((now - midnight.getTime()) / 60_000));
  const rows: (typeof uptimeDays.$inferInsert)[] = [];
  for (const target of ["portal", "meshcentral"] as const) {
    for (let ago = 0; ago < 90; ago++) {
      if (ago < (history.offDays ?? 0)) continue;
      // Days as the probe counts them (Europe/Berlin).
      const today = new Date(`${todayIsoDate(new Date(now))}T12:00:00Z`);
      const day = new Date(today.getTime() - ago * dayMs).toISOString().slice(0, 10);
      const checks = ago === 0 ? minutesToday : 1440;
      const failures = history.incidents
        .filter((i) => i.target === target && (i.ongoing ? ago <= i.daysAgo : ago === i.daysAgo))
        .reduce((sum, i) => sum + (i.ongoing ? (ago === i.daysAgo ? 600 : checks) : i.minutes), 0);
      rows.push({ instanceId, target, day, checks, failures: Math.min(checks, failures) });
    }
  }
  await db.insert(uptimeDays).values(rows).onConflictDoNothing();
  await db.insert(uptimeIncidents).values(
    history.incidents.map((i) => {
      // Ongoing: since 14:00 UTC that day; closed ones: at 03:10 UTC on their day.
      const startedAt = new Date(midnight.getTime() - i.daysAgo * dayMs + (i.ongoing ? 14 : 3) * 3600_000 + (i.ongoing ? 0 : 10 * 60_000));
      return { instanceId, target: i.target, startedAt, endedAt: i.ongoing ? null : new Date(startedAt.getTime() + i.minutes * 60_000), lastError: i.error };
    }),
  );
}

async function seedActivity(db: Db, instanceId: number, userId: string, actorName: string, now: Date) {
  const [{ existing }] = await db.select({ existing: count() }).from(activityLog).where(and(eq(activityLog.instanceId, instanceId)));
  if (existing > 0) return;
  const day = 24 * 3600_000;
  // Provisioning and health probes are background work, as in the live jobs: the system, not the customer's admin.
  const provisioning = actorColumns(systemActor("provisioning"));
  const health = actorColumns(systemActor("health"));
  const admin = { userId, actorName, actorType: "user" as const, ip: null };
  const entries = [
    { action: "instance.created", description: "Instanz eingerichtet", level: "info" as const, ago: 60 * day, actor: provisioning },
    { action: "server.provisioned", description: "Hetzner-Server bereitgestellt", level: "info" as const, ago: 60 * day - 3600_000, actor: provisioning },
    { action: "manage.login", description: "Login über Manage-Portal", level: "info" as const, ago: 30 * day },
    { action: "server.reboot", description: "Server-Neustart ausgelöst (erfolgreich)", level: "info" as const, ago: 21 * day },
    { action: "server.health", description: "Server antwortete 4 Minuten nicht (Health-Check)", level: "warning" as const, ago: 14 * day, actor: health },
    { action: "manage.login", description: "Login über Manage-Portal", level: "info" as const, ago: 7 * day },
    { action: "manage.login_failed", description: "Fehlgeschlagener Login (falsches Passwort)", level: "warning" as const, ago: 2 * day },
    { action: "manage.login", description: "Login über Manage-Portal", level: "info" as const, ago: 2 * day - 60_000 },
  ];
  await db.insert(activityLog).values(
    entries.map((e) => ({
      instanceId,
      ...(e.actor ?? admin),
      action: e.action,
      description: e.description,
      level: e.level,
      createdAt: new Date(now.getTime() - e.ago),
    })),
  );
}
