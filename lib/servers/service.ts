/**
 * Server control: power actions and status of an instance's Hetzner server.
 *
 * - `performServerAction` triggers reboot / power off / power on / a status
 *   refresh (rate limit 3 per minute per instance, counted in PostgreSQL).
 * - The running Hetzner action id is stored in `server_actions`; whoever asks
 *   for the server view (`getServerView`, polled by the UI) reads the action's
 *   progress from Hetzner and finalizes the stored status when it ends. No
 *   timers in memory: any app process can pick up any action.
 *
 * Power off = graceful ACPI `shutdown` (the OS shuts down cleanly). Hetzner's
 * shutdown action only says the ACPI signal was sent, so the action stays
 * "running" (phase `waiting`) until the server reports `off`. If it is not off
 * after SERVER_SHUTDOWN_GRACE_SECONDS, the action ends with an error and the
 * portal offers a separately confirmed forced power off (`force: true` →
 * Hetzner `poweroff`, like pulling the plug).
 */
import { and, desc, eq, inArray, isNull, lt, or, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { serverActions, servers, users } from "@/db/schema";
import type { DbOrTx } from "@/db/types";
import { emitServerStatusChanged } from "@/lib/events/webhooks";
import { actorColumns, recordActivity, systemActor, userActor, type Actor, type ActivityLevel } from "@/lib/activity";
import type { ActivityAction } from "@/lib/activity/actions";
import { config } from "@/lib/config";
import { BadRequestError, ConflictError, NotFoundError, UnprocessableError, UpstreamError, ValidationError } from "@/lib/errors";
import type { HetznerClient } from "@/lib/hetzner/client";
import { hetznerClient } from "@/lib/hetzner/configured";
import { HetznerError, HetznerLockedError, HetznerNotFoundError } from "@/lib/hetzner/errors";
import type { HetznerAction, HetznerServer, HetznerServerStatus } from "@/lib/hetzner/types";
import { RATE_LIMITS, enforceRateLimit } from "@/lib/rate-limit";
import { currentHealth, healthFrom, type HealthStatus } from "@/lib/servers/health";
import { apiTimestamp } from "@/lib/time";
import { ACTION_LABELS, HEALTH_LABELS, SERVER_STATUS_LABELS } from "./labels";

export type ServerAction = "reboot" | "power-off" | "power-on" | "refresh-status";
export const SERVER_ACTIONS: readonly ServerAction[] = ["reboot", "power-off", "power-on", "refresh-status"];

type PowerAction = Exclude<ServerAction, "refresh-status">;

const TEXTS: Record<ServerAction, { message: string; log: ActivityAction; noun: string }> = {
  reboot: { message: "Server Neustart wurde ausgelöst", log: "server.reboot", noun: "Server-Neustart" },
  "power-off": { message: "Server wird heruntergefahren", log: "server.power_off", noun: "Herunterfahren des Servers" },
  "power-on": { message: "Server wird eingeschaltet", log: "server.power_on", noun: "Einschalten des Servers" },
  "refresh-status": { message: "Server-Status wurde aktualisiert", log: "server.refresh_status", noun: "Abfrage des Server-Status" },
};
const FORCE_TEXT = { message: "Server wird sofort ausgeschaltet", noun: "Erzwungenes Ausschalten des Servers" };
const REBUILD_TEXT = { message: "Server wird aus dem Abbild wiederhergestellt", log: "server.rebuild" as const, noun: "Wiederherstellung des Servers" };

/** Log texts of a stored action row (power actions, forced power off, restore). */
function rowTexts(row: ActionRow): { noun: string; log: ActivityAction } {
  if (row.command === "stop_server") return { noun: FORCE_TEXT.noun, log: "server.power_off_force" };
  if (row.action === "rebuild") return REBUILD_TEXT;
  const t = TEXTS[row.action as PowerAction];
  return t ? { noun: t.noun, log: t.log } : { noun: row.action, log: "server.refresh_status" };
}

/** Status shown while the action runs (before Hetzner reports the server's own state). */
const TRANSITIONAL_STATUS: Record<PowerAction, string> = { reboot: "rebooting", "power-off": "stopping", "power-on": "starting" };

/** Longest time an action may stay open before it is closed as "unknown outcome". */
const MAX_ACTION_SECONDS = 15 * 60;
/** Minimum distance between two Hetzner polls of the same action (across all processes). */
const POLL_THROTTLE_MS = 1000;
/** The view refreshes the stored status from Hetzner when it is older than this. */
const STALE_STATUS_MS = 5 * 60_000;

const NO_SERVER_MESSAGE = "Kein Hetzner-Server zugeordnet";

type ActionRow = typeof serverActions.$inferSelect;
type ServerRow = typeof servers.$inferSelect;

function userMessageOf(error: unknown): string {
  if (error instanceof HetznerError) return error.userMessage;
  return "Bei der Kommunikation mit Hetzner ist ein Fehler aufgetreten.";
}

function technical(error: unknown): string {
  return error instanceof Error ? error.message.slice(0, 300) : String(error).slice(0, 300);
}

// ---------------------------------------------------------------------------
// Status mapping

/**
 * Hetzner server status → portal status (labels in labels.ts). Hetzner's own
 * transitional states are shown as they are; `unknown` (also what the client
 * makes of a status it does not know) stays `unknown`.
 */
export function portalStatus(status: HetznerServerStatus, rebooting = false): string {
  if (rebooting && (status === "stopping" || status === "starting" || status === "off")) return "rebooting";
  switch (status) {
    case "running":
      return "online";
    case "off":
    case "starting":
    case "stopping":
    case "initializing":
    case "migrating":
    case "rebuilding":
    case "deleting":
      return status;
    default:
      return "unknown";
  }
}

/** Health from the power state alone (before any probe); with probes see lib/health/derive.ts. */
export function healthFor(status: string): HealthStatus {
  return healthFrom(status);
}

/**
 * Looks a server up at Hetzner before staff link it to an instance, so only
 * servers that exist are linked, and with their real IP, type and status.
 */
export async function describeHetznerServer(hetznerServerId: number) {
  const client = await hetznerClient();
  try {
    const s = await client.getServer(hetznerServerId);
    const status = portalStatus(s.status);
    return {
      name: s.name,
      ipv4: s.publicIpv4,
      serverType: s.serverType,
      datacenter: s.location,
      status,
      healthStatus: healthFor(status),
      lastSyncedAt: new Date(),
    };
  } catch (error) {
    if (error instanceof HetznerNotFoundError) {
      throw new ValidationError({ hetzner_server_id: [`Bei Hetzner gibt es keinen Server mit der ID ${hetznerServerId}.`] });
    }
    throw new UpstreamError(`Der Hetzner-Server konnte nicht abgefragt werden: ${userMessageOf(error)}`);
  }
}

async function loadServer(instanceId: number): Promise<ServerRow | undefined> {
  const db = await getDb();
  const [row] = await db.select().from(servers).where(eq(servers.instanceId, instanceId));
  return row;
}

/** Stores what Hetzner reports about the instance's server (status, name, IP, type, location) and the health that follows. */
export async function storeServer(instanceId: number, s: HetznerServer, opts: { rebooting?: boolean } = {}) {
  const db = await getDb();
  const status = portalStatus(s.status, opts.rebooting);
  await db.transaction(async (tx) => {
    const previous = await lockedStatus(tx, instanceId);
    await tx
      .update(servers)
      .set({
        status,
        healthStatus: await currentHealth(tx, instanceId, status),
        name: s.name,
        ipv4: s.publicIpv4,
        serverType: s.serverType,
        datacenter: s.location,
        lastSyncedAt: new Date(),
        updatedAt: new Date(),
      })
      .where(eq(servers.instanceId, instanceId));
    if (previous !== undefined) await emitServerStatusChanged(tx, instanceId, previous, status);
  });
  return status;
}

/** The stored status, row locked so two writers report each change once (webhook `server.status_changed`). */
async function lockedStatus(tx: DbOrTx, instanceId: number): Promise<string | undefined> {
  const [row] = await tx.select({ status: servers.status }).from(servers).where(eq(servers.instanceId, instanceId)).for("update");
  return row?.status;
}

async function setServerStatus(instanceId: number, status: string, tx?: DbOrTx) {
  const write = async (db: DbOrTx) => {
    const previous = await lockedStatus(db, instanceId);
    await db
      .update(servers)
      .set({ status, healthStatus: await currentHealth(db, instanceId, status), updatedAt: new Date() })
      .where(eq(servers.instanceId, instanceId));
    if (previous !== undefined) await emitServerStatusChanged(db, instanceId, previous, status);
  };
  if (tx) await write(tx);
  else await (await getDb()).transaction(write);
}

// ---------------------------------------------------------------------------
// Actions

export async function performServerAction(
  actor: Actor,
  input: {
    instanceId: number;
    action: ServerAction;
    /** power-off only: hard power off (Hetzner `poweroff`) instead of the graceful ACPI shutdown. */
    force?: boolean;
  },
): Promise<{ message: string; action: string }> {
  const { instanceId, action } = input;
  if (!SERVER_ACTIONS.includes(action)) throw new BadRequestError("Unbekannte Server-Aktion.");
  const force = action === "power-off" && input.force === true;
  const server = await loadServer(instanceId);
  if (!server?.hetznerServerId) throw new UnprocessableError(NO_SERVER_MESSAGE);

  await enforceRateLimit(`server-action:${instanceId}`, RATE_LIMITS.serverAction);

  const texts = force ? { ...TEXTS["power-off"], ...FORCE_TEXT } : TEXTS[action];
  const log = async (level: ActivityLevel, description: string, metadata: Record<string, unknown>, tx?: DbOrTx) =>
    recordActivity(tx ?? (await getDb()), actor, {
      instanceId,
      action: force ? "server.power_off_force" : texts.log,
      description,
      level,
      metadata: { hetzner_server_id: server.hetznerServerId, ...(force ? { force: true } : {}), ...metadata },
    });
  const fail = async (error: unknown): Promise<never> => {
    if (error instanceof HetznerLockedError) {
      await log("warning", `${texts.noun} abgelehnt: Auf dem Server läuft bereits eine Aktion`, { outcome: "locked" });
      throw new ConflictError("Auf dem Server läuft gerade eine andere Aktion. Bitte warten, bis sie abgeschlossen ist.");
    }
    const message = userMessageOf(error);
    await log("error", `${texts.noun} fehlgeschlagen: ${message}`, { outcome: "error", error: technical(error) });
    throw new UpstreamError(`Server-Aktion fehlgeschlagen: ${message}`);
  };

  const client = await hetznerClient();
  // Finish what is pending first, so a finished action does not block the next one.
  const pendingUnknown = await syncActions(instanceId, client, { throttle: false });

  if (action === "refresh-status") {
    let status: string;
    try {
      const s = await client.getServer(server.hetznerServerId);
      status = await storeServer(instanceId, s, { rebooting: await hasRunning(instanceId, "reboot") });
    } catch (error) {
      return fail(error);
    }
    await log("info", `Server-Status aktualisiert: ${SERVER_STATUS_LABELS[status] ?? status}`, { outcome: "success", status });
    return { message: texts.message, action };
  }

  const running = await runningAction(instanceId);
  // 409 only when the action really runs: if Hetzner could not be asked, say that instead.
  if (running && pendingUnknown) throw new UpstreamError(`Server-Aktion fehlgeschlagen: ${pendingUnknown}`);
  if (running) {
    throw new ConflictError(
      `Es läuft bereits eine Server-Aktion (${ACTION_LABELS[actionKey(running)] ?? running.action}). Bitte warten, bis sie abgeschlossen ist.`,
    );
  }

  const id = server.hetznerServerId;
  let started: HetznerAction;
  try {
    started =
      action === "reboot"
        ? await client.reboot(id)
        : action === "power-on"
          ? await client.powerOn(id)
          : force
            ? await client.powerOff(id)
            : await client.shutdown(id);
  } catch (error) {
    return fail(error);
  }

  const db = await getDb();
  const row = await db.transaction(async (tx) => {
    const [inserted] = await tx
      .insert(serverActions)
      .values({
        instanceId,
        hetznerServerId: id,
        hetznerActionId: started.id,
        action,
        command: started.command,
        status: "running",
        progress: started.progress,
        userId: actor.kind === "user" ? actor.principal.userId : null,
        actorName: actorColumns(actor).actorName,
        ip: actorColumns(actor).ip,
      })
      .returning();
    await setServerStatus(instanceId, TRANSITIONAL_STATUS[action], tx);
    await log("info", `${texts.noun} ausgelöst`, { outcome: "started", hetzner_action_id: started.id }, tx);
    return inserted;
  });

  // No-op actions (e.g. power on a running server) finish at once.
  if (started.status !== "running") await advance(row, client, started).catch(() => undefined);
  return { message: texts.message, action };
}

/**
 * Restores the server from one of its backups or snapshots (Hetzner `rebuild`):
 * the disk is replaced by the image, everything written since is lost. Staff
 * only (the door checks it) and confirmed by typing the server's name. Runs as
 * an action row like the power actions (progress, one at a time, 3 per minute).
 */
export async function restoreServer(actor: Actor, input: { instanceId: number; imageId: number; confirmation: string }, options: { client?: HetznerClient } = {}) {
  const { instanceId, imageId } = input;
  const server = await loadServer(instanceId);
  if (!server?.hetznerServerId) throw new UnprocessableError(NO_SERVER_MESSAGE);
  const expected = server.name ?? String(server.hetznerServerId);
  if (input.confirmation.trim() !== expected) {
    throw new ValidationError({ confirmation: [`Zur Bestätigung bitte den Servernamen „${expected}“ eintippen.`] });
  }
  await enforceRateLimit(`server-action:${instanceId}`, RATE_LIMITS.serverAction);
  const client = options.client ?? (await hetznerClient());
  await syncActions(instanceId, client, { throttle: false });
  const running = await runningAction(instanceId);
  if (running) throw new ConflictError("Es läuft bereits eine Server-Aktion. Bitte warten, bis sie abgeschlossen ist.");

  let image;
  try {
    image = await client.getImage(imageId);
  } catch (error) {
    if (error instanceof HetznerNotFoundError) throw new NotFoundError("Dieses Backup bzw. diesen Snapshot gibt es nicht.");
    throw new UpstreamError(`Wiederherstellung fehlgeschlagen: ${userMessageOf(error)}`);
  }
  const own = (image.type === "backup" && image.boundTo === server.hetznerServerId) || (image.type === "snapshot" && image.createdFrom === server.hetznerServerId);
  if (!own) throw new NotFoundError("Dieses Backup bzw. diesen Snapshot gibt es nicht.");

  let started: HetznerAction;
  const log = async (level: ActivityLevel, description: string, metadata: Record<string, unknown>, tx?: DbOrTx) =>
    recordActivity(tx ?? (await getDb()), actor, {
      instanceId,
      action: "server.rebuild",
      description,
      level,
      metadata: { hetzner_server_id: server.hetznerServerId, image_id: imageId, image_type: image.type, ...metadata },
    });
  try {
    started = await client.rebuild(server.hetznerServerId, imageId);
  } catch (error) {
    const message = userMessageOf(error);
    await log("error", `${REBUILD_TEXT.noun} fehlgeschlagen: ${message}`, { outcome: "error", error: technical(error) });
    throw new UpstreamError(`Wiederherstellung fehlgeschlagen: ${message}`);
  }
  const db = await getDb();
  await db.transaction(async (tx) => {
    await tx.insert(serverActions).values({
      instanceId,
      hetznerServerId: server.hetznerServerId!,
      hetznerActionId: started.id,
      action: "rebuild",
      command: started.command,
      status: "running",
      progress: started.progress,
      userId: actor.kind === "user" ? actor.principal.userId : null,
      actorName: actorColumns(actor).actorName,
      ip: actorColumns(actor).ip,
    });
    await setServerStatus(instanceId, "rebuilding", tx);
    await log("warning", `${REBUILD_TEXT.noun} aus ${image.type === "backup" ? "dem Backup" : "dem Snapshot"} „${image.description ?? image.id}“ ausgelöst`, { outcome: "started", hetzner_action_id: started.id }, tx);
  });
  return { message: REBUILD_TEXT.message, action: "rebuild" };
}

function actionKey(row: ActionRow) {
  return row.action === "power-off" && row.command === "stop_server" ? "power-off-force" : row.action;
}

async function runningAction(instanceId: number): Promise<ActionRow | undefined> {
  const db = await getDb();
  const [row] = await db
    .select()
    .from(serverActions)
    .where(and(eq(serverActions.instanceId, instanceId), inArray(serverActions.status, ["running", "waiting"])))
    .orderBy(desc(serverActions.startedAt), desc(serverActions.id))
    .limit(1);
  return row;
}

async function hasRunning(instanceId: number, action: PowerAction) {
  const row = await runningAction(instanceId);
  return row?.action === action;
}

/**
 * Reads the progress of the instance's open actions from Hetzner and
 * finalizes those that ended. With `throttle`, an action is polled at most
 * once per second across all processes (claimed through `polled_at`).
 * Returns a German note when Hetzner could not be asked.
 */
export async function syncActions(
  instanceId: number,
  client: HetznerClient,
  opts: { throttle: boolean },
): Promise<string | null> {
  const db = await getDb();
  const open = await db
    .select()
    .from(serverActions)
    .where(and(eq(serverActions.instanceId, instanceId), inArray(serverActions.status, ["running", "waiting"])))
    .orderBy(serverActions.startedAt, serverActions.id);
  let syncError: string | null = null;
  for (const candidate of open) {
    const claimCondition = opts.throttle
      ? and(
          eq(serverActions.id, candidate.id),
          inArray(serverActions.status, ["running", "waiting"]),
          or(isNull(serverActions.polledAt), lt(serverActions.polledAt, sql`now() - ${sql.raw(`interval '${POLL_THROTTLE_MS} milliseconds'`)}`)),
        )
      : and(eq(serverActions.id, candidate.id), inArray(serverActions.status, ["running", "waiting"]));
    const [row] = await db.update(serverActions).set({ polledAt: sql`now()` }).where(claimCondition).returning();
    if (!row) continue;
    try {
      await advance(row, client);
    } catch (error) {
      syncError = `Der aktuelle Stand konnte nicht von Hetzner abgefragt werden: ${userMessageOf(error)}`;
    }
  }
  return syncError;
}

/**
 * ACPI actions: Hetzner's `success` only means the signal was sent to the
 * guest OS. The row then waits (`waiting`) until the server reports the state
 * the signal asks for, for at most the grace period.
 */
const ACPI_TARGET: Record<string, { status: "off" | "running"; sent: string; graceSeconds: () => number; timeout: (status: string) => string; detail: string }> = {
  shutdown_server: {
    status: "off",
    sent: "Das Signal zum Herunterfahren wurde gesendet",
    graceSeconds: () => config().SERVER_SHUTDOWN_GRACE_SECONDS,
    timeout: () => "Der Server hat nicht auf das Herunterfahren reagiert. Sie können das Ausschalten erzwingen.",
    detail: "shutdown_ignored",
  },
  reboot_server: {
    status: "running",
    sent: "Das Neustart-Signal wurde gesendet",
    graceSeconds: () => config().SERVER_REBOOT_GRACE_SECONDS,
    timeout: (status) =>
      `Das Neustart-Signal wurde gesendet, aber der Server läuft danach nicht wieder (Status: ${SERVER_STATUS_LABELS[status] ?? status}).`,
    detail: "reboot_not_running",
  },
};

/** A Hetzner answer that will not change by asking again (wrong shape, not allowed, …), unlike an outage or a 429. */
function permanent(error: unknown): boolean {
  return error instanceof HetznerError && !error.retryable;
}

/**
 * One step of an open action: read Hetzner, store progress, finalize when done.
 *
 * No action stays open because a read fails: a read that cannot succeed
 * (permanent error) closes the action at once with the reason; a transient one
 * (outage, rate limit) is retried by the next poll until the grace period
 * (ACPI wait) or MAX_ACTION_SECONDS is over. Once Hetzner reports the action's
 * success, reading the server is only needed for ACPI actions; for the others
 * a failed read just leaves the stored status for the next refresh.
 */
async function advance(row: ActionRow, client: HetznerClient, known?: HetznerAction): Promise<void> {
  const db = await getDb();
  const ageSeconds = (Date.now() - row.startedAt.getTime()) / 1000;
  const rebooting = row.action === "reboot";

  if (row.status === "running") {
    let action: HetznerAction;
    try {
      action = known ?? (await client.getAction(row.hetznerActionId!));
    } catch (error) {
      if (error instanceof HetznerNotFoundError) {
        await finish(row, "error", "Hetzner kennt die Aktion nicht mehr; ihr Ergebnis ist unbekannt.");
        await refreshQuietly(row, client);
        return;
      }
      if (permanent(error) || ageSeconds > MAX_ACTION_SECONDS) {
        await finish(row, "error", `Das Ergebnis der Aktion konnte nicht ermittelt werden: ${userMessageOf(error)}`, { error: technical(error) });
        return;
      }
      throw error;
    }
    if (action.status === "running") {
      await db.update(serverActions).set({ progress: action.progress }).where(eq(serverActions.id, row.id));
      await refreshQuietly(row, client, { rebooting });
      return;
    }
    if (action.status === "error") {
      await finish(row, "error", `Hetzner meldet einen Fehler: ${action.error?.message ?? "unbekannter Fehler"}`, {
        hetzner_error: action.error?.code ?? null,
      });
      await refreshQuietly(row, client);
      return;
    }
    // success
    if (!ACPI_TARGET[row.command]) {
      const read = await refreshQuietly(row, client);
      await finish(row, "success", read ? null : "Die Aktion ist abgeschlossen; der neue Server-Status konnte noch nicht abgefragt werden.");
      return;
    }
    await db
      .update(serverActions)
      .set({ status: "waiting", progress: 100 })
      .where(and(eq(serverActions.id, row.id), eq(serverActions.status, "running")));
  }

  // waiting: the ACPI signal was sent; wait for the state it asks for.
  const target = ACPI_TARGET[row.command];
  if (!target) {
    await finish(row, "error", "Das Ergebnis der Aktion konnte nicht ermittelt werden.");
    return;
  }
  let server: HetznerServer;
  try {
    server = await client.getServer(row.hetznerServerId);
  } catch (error) {
    if (permanent(error) || ageSeconds > target.graceSeconds()) {
      await finish(row, "error", `${target.sent}, aber der Server-Status konnte nicht abgefragt werden: ${userMessageOf(error)}`, {
        outcome_detail: "status_unreadable",
        error: technical(error),
      });
      return;
    }
    throw error;
  }
  const stored = await storeServer(row.instanceId, server, { rebooting });
  if (server.status === target.status) {
    await finish(row, "success", null);
    return;
  }
  if (ageSeconds > target.graceSeconds()) {
    await finish(row, "error", target.timeout(portalStatus(server.status)), { outcome_detail: target.detail });
    return;
  }
  // Still up after the shutdown signal: show that it is on its way down.
  if (stored === "online") await setServerStatus(row.instanceId, "stopping");
}

/** Reads the server and stores it; `false` when Hetzner could not be asked (the next poll or refresh tries again). */
async function refreshQuietly(row: ActionRow, client: HetznerClient, opts: { rebooting?: boolean } = {}): Promise<boolean> {
  try {
    const server = await client.getServer(row.hetznerServerId);
    await storeServer(row.instanceId, server, opts);
    return true;
  } catch {
    return false;
  }
}

/** Closes an open action exactly once (conditional update) and logs the outcome in the same transaction. */
async function finish(row: ActionRow, status: "success" | "error", message: string | null, metadata: Record<string, unknown> = {}) {
  const db = await getDb();
  const actor = await actionActor(row);
  await db.transaction(async (tx) => {
    const [done] = await tx
      .update(serverActions)
      .set({ status, resultMessage: message, finishedAt: new Date(), ...(status === "success" ? { progress: 100 } : {}) })
      .where(and(eq(serverActions.id, row.id), inArray(serverActions.status, ["running", "waiting"])))
      .returning();
    if (!done) return;
    const { noun, log } = rowTexts(row);
    await recordActivity(tx, actor, {
      instanceId: row.instanceId,
      action: log,
      description: status === "success" ? `${noun} abgeschlossen (erfolgreich)` : `${noun} fehlgeschlagen: ${message}`,
      level: status === "success" ? "info" : "error",
      metadata: { outcome: status, hetzner_action_id: row.hetznerActionId, ...metadata },
    });
  });
}

/**
 * The outcome of an action is logged in the name of whoever started it
 * (whichever process notices the end). Staff have no instance of their own.
 */
async function actionActor(row: ActionRow): Promise<Actor> {
  if (!row.userId) return systemActor("serverSync");
  const db = await getDb();
  const [user] = await db.select({ instanceId: users.instanceId }).from(users).where(eq(users.id, row.userId));
  return userActor({ userId: row.userId, name: row.actorName ?? "", staff: user ? user.instanceId === null : false }, row.ip);
}

// ---------------------------------------------------------------------------
// View

export type ServerView = Awaited<ReturnType<typeof getServerView>>;

/**
 * The server as the UI shows it: stored status (brought up to date from
 * Hetzner while an action runs, or when it is older than 5 minutes) and the
 * latest action with its progress.
 */
export async function getServerView(instanceId: number) {
  let server = await loadServer(instanceId);
  if (!server?.hetznerServerId) {
    return { server: null, action: null, action_running: false, can_force_power_off: false, sync_error: null, message: NO_SERVER_MESSAGE };
  }
  let syncError: string | null = null;
  const open = await runningAction(instanceId);
  const stale = !server.lastSyncedAt || Date.now() - server.lastSyncedAt.getTime() > STALE_STATUS_MS;
  if (open || stale) {
    try {
      // The UI polls this view: keep each Hetzner call short.
      const client = await hetznerClient({ maxTimeoutMs: 5000 });
      if (open) syncError = await syncActions(instanceId, client, { throttle: true });
      else {
        const s = await client.getServer(server.hetznerServerId);
        await storeServer(instanceId, s);
      }
    } catch (error) {
      syncError = `Der aktuelle Stand konnte nicht von Hetzner abgefragt werden: ${error instanceof UpstreamError ? error.message : userMessageOf(error)}`;
    }
    server = (await loadServer(instanceId))!;
  }

  const db = await getDb();
  const [latest] = await db
    .select()
    .from(serverActions)
    .where(eq(serverActions.instanceId, instanceId))
    .orderBy(desc(serverActions.startedAt), desc(serverActions.id))
    .limit(1);
  const running = latest ? latest.status === "running" || latest.status === "waiting" : false;
  const key = latest ? actionKey(latest) : null;
  return {
    server: {
      hetzner_server_id: server.hetznerServerId,
      name: server.name,
      status: server.status,
      status_label: SERVER_STATUS_LABELS[server.status] ?? server.status,
      health_status: server.healthStatus,
      health_status_label: HEALTH_LABELS[server.healthStatus] ?? server.healthStatus,
      ipv4: server.ipv4,
      server_type: server.serverType,
      datacenter: server.datacenter,
      last_synced_at: apiTimestamp(server.lastSyncedAt),
    },
    action: latest
      ? {
          id: latest.id,
          action: latest.action,
          action_label: ACTION_LABELS[key!] ?? latest.action,
          forced: key === "power-off-force",
          status: running ? "running" : latest.status,
          /** 0–100; null while waiting for the server to switch off after the ACPI signal. */
          progress: latest.status === "waiting" ? null : latest.progress,
          progress_label: progressLabel(latest),
          message: latest.resultMessage,
          actor: latest.actorName,
          started_at: apiTimestamp(latest.startedAt),
          finished_at: apiTimestamp(latest.finishedAt),
        }
      : null,
    action_running: running,
    can_force_power_off: Boolean(
      latest && !running && latest.action === "power-off" && latest.status === "error" && server.status !== "off",
    ),
    sync_error: syncError,
    message: null as string | null,
  };
}

function progressLabel(row: ActionRow): string {
  const label = ACTION_LABELS[actionKey(row)] ?? row.action;
  switch (row.status) {
    case "running":
      return `${label} läuft … ${row.progress} %`;
    case "waiting":
      return row.command === "reboot_server"
        ? "Neustart-Signal gesendet – warte, bis der Server wieder läuft …"
        : "Signal zum Herunterfahren gesendet – warte, bis der Server ausgeschaltet ist …";
    case "success":
      return `${label} abgeschlossen`;
    default:
      return `${label} fehlgeschlagen`;
  }
}
