/**
 * Backups and snapshots of an instance's server, as Hetzner keeps them.
 *
 * - Backups: Hetzner's nightly backups (window `HH-HH` UTC, the last 7 kept).
 *   Switching them on costs 20 % of the server's price at Hetzner; the portal
 *   shows that price and, while they are on, bills it as a recurring plan item
 *   of the instance (`billing_plan_items.source = 'hetzner_backup'`, at most
 *   one open item per instance — a unique index). Switching off ends the item
 *   today; Hetzner deletes the backups then, the dialog says so.
 * - Snapshots: taken on request ("Snapshot erstellen"), at most SNAPSHOT_LIMIT
 *   per instance and one per SNAPSHOT_RATE window; a customer may delete the
 *   snapshots of their own server (`created_from` is the server), nothing else.
 * - Restoring from either is staff-only (`restoreServer` in service.ts).
 *
 * Every change is logged with `recordActivity`; the billing item and its log
 * entry are written in one transaction.
 */
import { and, eq, isNull } from "drizzle-orm";
import { getDb } from "@/db/client";
import { billingPlanItems, servers } from "@/db/schema";
import { recordActivity, type Actor } from "@/lib/activity";
import { ConflictError, NotFoundError, UnprocessableError, UpstreamError } from "@/lib/errors";
import type { HetznerClient } from "@/lib/hetzner/client";
import { hetznerClient } from "@/lib/hetzner/configured";
import { HetznerError, HetznerLockedError, HetznerNotFoundError } from "@/lib/hetzner/errors";
import type { HetznerImage } from "@/lib/hetzner/types";
import { billingToday } from "@/lib/billing/clock";
import { formatEuro } from "@/lib/money";
import { enforceRateLimit } from "@/lib/rate-limit";
import { apiTimestamp } from "@/lib/time";
import { z } from "@/lib/validation";

export const SNAPSHOT_LIMIT = 3;
/** One new snapshot per 10 minutes and instance. */
export const SNAPSHOT_RATE = { limit: 1, windowSeconds: 10 * 60 };
/** Hetzner's price of backups: 20 % of the server's price. */
export const BACKUP_PRICE_PERCENT = 20;
export const BACKUP_ITEM_SOURCE = "hetzner_backup";
const BACKUP_VAT_RATE = 1900;

export const snapshotBody = z
  .object({
    description: z
      .string({ error: "Bitte eine Beschreibung angeben." })
      .trim()
      .min(1, "Bitte eine Beschreibung angeben.")
      .max(100, "Höchstens 100 Zeichen.")
      .meta({ example: "Vor dem Update auf Version 2.5" }),
  })
  .strict();
export const backupsBody = z.object({ enabled: z.boolean({ error: "enabled muss true oder false sein." }) }).strict();
export const restoreBody = z
  .object({
    image_id: z.number({ error: "Bitte ein Backup oder einen Snapshot wählen." }).int().positive(),
    confirmation: z.string({ error: "Bitte den Servernamen eintippen." }).meta({ description: "Der Servername, zur Bestätigung eingetippt" }),
  })
  .strict();

async function linkedServer(instanceId: number) {
  const db = await getDb();
  const [row] = await db.select().from(servers).where(eq(servers.instanceId, instanceId));
  if (!row?.hetznerServerId) throw new UnprocessableError("Kein Hetzner-Server zugeordnet");
  return { ...row, hetznerServerId: row.hetznerServerId };
}

function upstream(prefix: string, error: unknown): never {
  if (error instanceof HetznerLockedError) throw new ConflictError("Auf dem Server läuft gerade eine andere Aktion. Bitte warten, bis sie abgeschlossen ist.");
  throw new UpstreamError(`${prefix}: ${error instanceof HetznerError ? error.userMessage : "Bei der Kommunikation mit Hetzner ist ein Fehler aufgetreten."}`);
}

function presentImage(i: HetznerImage) {
  return {
    id: i.id,
    type: i.type,
    description: i.description,
    status: i.status,
    status_label: i.status === "available" ? "Verfügbar" : i.status === "creating" ? "Wird erstellt" : "Nicht verfügbar",
    size_gb: i.sizeGb,
    created_at: apiTimestamp(i.created),
  };
}

/** "22:00–02:00 Uhr (UTC)" from Hetzner's `22-02`. */
export function backupWindowLabel(window: string | null): string | null {
  const m = window ? /^(\d{2})-(\d{2})$/.exec(window) : null;
  return m ? `${m[1]}:00–${m[2]}:00 Uhr (UTC)` : window;
}

export type BackupsView = Awaited<ReturnType<typeof getBackups>>;

export async function getBackups(instanceId: number, options: { client?: HetznerClient } = {}) {
  const server = await linkedServer(instanceId);
  const client = options.client ?? (await hetznerClient({ maxTimeoutMs: 8000 }));
  let details, backups: HetznerImage[], snapshots: HetznerImage[];
  try {
    [details, backups, snapshots] = await Promise.all([
      client.getServer(server.hetznerServerId),
      client.listImages({ type: "backup", boundTo: server.hetznerServerId }),
      client.listImages({ type: "snapshot" }),
    ]);
  } catch (error) {
    upstream("Backups und Snapshots konnten nicht von Hetzner abgefragt werden", error);
  }
  const own = snapshots.filter((s) => s.createdFrom === server.hetznerServerId).sort((a, b) => b.created.getTime() - a.created.getTime());
  const priceCents = details.monthlyPriceNetCents === null ? null : Math.round((details.monthlyPriceNetCents * BACKUP_PRICE_PERCENT) / 100);
  return {
    backups_enabled: details.backupWindow !== null,
    backup_window: details.backupWindow,
    backup_window_label: backupWindowLabel(details.backupWindow),
    /** What backups cost per month (net), 20 % of the server's price at Hetzner; null when Hetzner sends no price. */
    backup_price_cents: priceCents,
    backup_price_label: priceCents === null ? null : `${formatEuro(priceCents)} netto im Monat (${BACKUP_PRICE_PERCENT} % des Serverpreises)`,
    backups: backups.sort((a, b) => b.created.getTime() - a.created.getTime()).slice(0, 7).map(presentImage),
    snapshots: own.map(presentImage),
    snapshot_limit: SNAPSHOT_LIMIT,
    can_create_snapshot: own.length < SNAPSHOT_LIMIT,
  };
}

export async function createSnapshot(actor: Actor, input: { instanceId: number; description: string }, options: { client?: HetznerClient } = {}) {
  const server = await linkedServer(input.instanceId);
  const client = options.client ?? (await hetznerClient());
  let existing: HetznerImage[];
  try {
    existing = (await client.listImages({ type: "snapshot" })).filter((s) => s.createdFrom === server.hetznerServerId);
  } catch (error) {
    upstream("Snapshot konnte nicht erstellt werden", error);
  }
  if (existing.length >= SNAPSHOT_LIMIT) {
    throw new ConflictError(`Es gibt bereits ${SNAPSHOT_LIMIT} Snapshots. Bitte zuerst einen löschen.`);
  }
  await enforceRateLimit(`server-snapshot:${input.instanceId}`, SNAPSHOT_RATE);
  let image: HetznerImage;
  try {
    ({ image } = await client.createSnapshot(server.hetznerServerId, input.description));
  } catch (error) {
    await recordActivity(await getDb(), actor, {
      instanceId: input.instanceId,
      action: "server.snapshot_created",
      level: "error",
      description: `Snapshot „${input.description}“ fehlgeschlagen: ${error instanceof HetznerError ? error.userMessage : "unbekannter Fehler"}`,
      metadata: { outcome: "error" },
    });
    upstream("Snapshot konnte nicht erstellt werden", error);
  }
  await recordActivity(await getDb(), actor, {
    instanceId: input.instanceId,
    action: "server.snapshot_created",
    description: `Snapshot „${input.description}“ erstellt`,
    metadata: { image_id: image.id, hetzner_server_id: server.hetznerServerId },
  });
  return { message: "Snapshot wird erstellt", snapshot: presentImage(image) };
}

export async function deleteSnapshot(actor: Actor, input: { instanceId: number; imageId: number }, options: { client?: HetznerClient } = {}) {
  const server = await linkedServer(input.instanceId);
  const client = options.client ?? (await hetznerClient());
  let image: HetznerImage;
  try {
    image = await client.getImage(input.imageId);
  } catch (error) {
    if (error instanceof HetznerNotFoundError) throw new NotFoundError("Diesen Snapshot gibt es nicht.");
    upstream("Snapshot konnte nicht gelöscht werden", error);
  }
  // Only snapshots of the instance's own server; backups are Hetzner's to rotate.
  if (image.type !== "snapshot" || image.createdFrom !== server.hetznerServerId) throw new NotFoundError("Diesen Snapshot gibt es nicht.");
  try {
    await client.deleteImage(image.id);
  } catch (error) {
    upstream("Snapshot konnte nicht gelöscht werden", error);
  }
  await recordActivity(await getDb(), actor, {
    instanceId: input.instanceId,
    action: "server.snapshot_deleted",
    description: `Snapshot „${image.description ?? image.id}“ gelöscht`,
    metadata: { image_id: image.id },
  });
  return { message: "Snapshot gelöscht" };
}

/** Switches Hetzner backups on or off and keeps the recurring billing item in step. */
export async function setBackups(actor: Actor, input: { instanceId: number; enabled: boolean }, options: { client?: HetznerClient } = {}) {
  const server = await linkedServer(input.instanceId);
  const client = options.client ?? (await hetznerClient());
  let priceCents: number | null;
  try {
    const details = await client.getServer(server.hetznerServerId);
    priceCents = details.monthlyPriceNetCents === null ? null : Math.round((details.monthlyPriceNetCents * BACKUP_PRICE_PERCENT) / 100);
    if (input.enabled && priceCents === null) {
      throw new UnprocessableError("Hetzner nennt keinen Preis für diesen Server; Backups können nicht abgerechnet werden. Bitte den Support kontaktieren.");
    }
    if (input.enabled) await client.enableBackup(server.hetznerServerId);
    else await client.disableBackup(server.hetznerServerId);
  } catch (error) {
    if (!(error instanceof HetznerError)) throw error;
    upstream(input.enabled ? "Backups konnten nicht eingeschaltet werden" : "Backups konnten nicht ausgeschaltet werden", error);
  }
  const today = billingToday();
  const db = await getDb();
  await db.transaction(async (tx) => {
    const open = and(eq(billingPlanItems.instanceId, input.instanceId), eq(billingPlanItems.source, BACKUP_ITEM_SOURCE), isNull(billingPlanItems.endsOn));
    if (input.enabled) {
      await tx
        .insert(billingPlanItems)
        .values({
          instanceId: input.instanceId,
          description: `Hetzner-Backups (${BACKUP_PRICE_PERCENT} % des Serverpreises)`,
          quantityMilli: 1000,
          unit: "Monat",
          unitPriceCents: priceCents!,
          vatRate: BACKUP_VAT_RATE,
          startsOn: today,
          source: BACKUP_ITEM_SOURCE,
        })
        .onConflictDoNothing();
    } else {
      await tx.update(billingPlanItems).set({ endsOn: today }).where(open);
    }
    await recordActivity(tx, actor, {
      instanceId: input.instanceId,
      action: input.enabled ? "server.backups_enabled" : "server.backups_disabled",
      description: input.enabled ? `Backups eingeschaltet (${formatEuro(priceCents!)} netto im Monat)` : "Backups ausgeschaltet",
      metadata: { hetzner_server_id: server.hetznerServerId, ...(input.enabled ? { price_cents: priceCents } : {}) },
    });
  });
  return { message: input.enabled ? "Backups werden eingeschaltet" : "Backups werden ausgeschaltet" };
}
