/**
 * Bulk actions of the staff instance list: one confirmation in the UI, then
 * the same domain command per instance (server power actions through
 * `performServerAction`, suspension through `suspendInstance` /
 * `reactivateInstance`). Each instance succeeds or fails on its own — a
 * rate-limited or already suspended instance does not stop the others — and
 * the answer lists the outcome per instance.
 */
import type { UserActor } from "@/lib/activity";
import { DomainError, ForbiddenError } from "@/lib/errors";
import { reactivateInstance, suspendInstance } from "@/lib/instances/commands";
import type { Permission } from "@/lib/permissions";
import { performServerAction } from "@/lib/servers/service";
import { z } from "@/lib/validation";

export const BULK_ACTIONS = ["reboot", "power-off", "power-on", "refresh-status", "suspend", "reactivate"] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];

/** The permission each bulk action needs (the same as the single action). */
export const BULK_ACTION_PERMISSION: Record<BulkAction, Permission> = {
  reboot: "host.power",
  "power-off": "host.power",
  "power-on": "host.power",
  "refresh-status": "host.power",
  suspend: "tenant.manage",
  reactivate: "tenant.manage",
};

export const BULK_MAX = 100;

export const bulkActionSchema = z
  .object({
    action: z.enum(BULK_ACTIONS, { error: "Unbekannte Sammelaktion." }),
    instance_ids: z
      .array(z.number({ error: "Ungültige Instanz-ID." }).int({ error: "Ungültige Instanz-ID." }).min(1).max(2_147_483_647), {
        error: "Bitte mindestens eine Instanz auswählen.",
      })
      .min(1, { error: "Bitte mindestens eine Instanz auswählen." })
      .max(BULK_MAX, { error: `Höchstens ${BULK_MAX} Instanzen auf einmal.` }),
    reason: z.string().trim().max(500, { error: "Der Grund darf höchstens 500 Zeichen lang sein." }).optional(),
  })
  .strict()
  .superRefine((value, ctx) => {
    if (value.action === "suspend" && (value.reason ?? "").length < 3) {
      ctx.addIssue({ code: "custom", path: ["reason"], message: "Bitte einen Grund für die Sperre angeben (mindestens 3 Zeichen)." });
    }
  });

export type BulkInput = z.infer<typeof bulkActionSchema>;
export type BulkResult = { instance_id: number; ok: boolean; message: string };

/**
 * Runs the action on each instance with its own command and transaction: one instance's refusal
 * is its result line, not the others' rollback, so it takes no `options.tx`. `permissions` are the
 * caller's (the action's own permission is checked here).
 */
export async function runBulkAction(
  actor: UserActor,
  input: BulkInput & { permissions: ReadonlySet<string> },
): Promise<{ message: string; action: BulkAction; succeeded: number; failed: number; results: BulkResult[] }> {
  if (!input.permissions.has(BULK_ACTION_PERMISSION[input.action])) {
    throw new ForbiddenError("Dafür fehlt Ihnen die Berechtigung.", { missing: BULK_ACTION_PERMISSION[input.action] });
  }
  const ids = [...new Set(input.instance_ids)];
  const results: BulkResult[] = [];
  for (const instanceId of ids) {
    try {
      results.push({ instance_id: instanceId, ok: true, message: await runOne(actor, input, instanceId) });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      results.push({ instance_id: instanceId, ok: false, message: error.message });
    }
  }
  const succeeded = results.filter((r) => r.ok).length;
  const failed = results.length - succeeded;
  return {
    message: `${succeeded} von ${results.length} ${results.length === 1 ? "Instanz" : "Instanzen"} erfolgreich${failed ? `, ${failed} fehlgeschlagen` : ""}.`,
    action: input.action,
    succeeded,
    failed,
    results,
  };
}

async function runOne(actor: UserActor, input: BulkInput, instanceId: number): Promise<string> {
  switch (input.action) {
    case "suspend":
      await suspendInstance(actor, { instanceId, reason: input.reason ?? "" });
      return "Instanz gesperrt.";
    case "reactivate":
      await reactivateInstance(actor, { instanceId, note: input.reason ?? null });
      return "Sperre aufgehoben.";
    default:
      return (await performServerAction(actor, { instanceId, action: input.action })).message;
  }
}
