/**
 * Custom domains of an instance (seed section 5): the configuration, the
 * CNAME check, saving and applying a domain on the instance server, removing it.
 *
 * The database row is the desired state; the instance agent always receives the
 * whole configuration of the instance (portal + MeshCentral), so every push is
 * idempotent and a retry simply pushes again. Changes of one instance are
 * serialised with a PostgreSQL advisory lock held for the push, so two app
 * processes can never leave the server with an older configuration than the
 * database.
 *
 * The commands are `(actor, input, options?)`. Without `options.tx` the CNAME check
 * (DNS) runs before any transaction and the push to the agent inside the lock's
 * transaction, as the lock requires. With `options.tx` the lock is taken in a savepoint
 * of the caller's transaction and held until the caller commits; the caller then holds
 * its transaction open across the DNS check and the push. The rate-limit counter
 * always counts on its own connection (a rolled-back request still counts).
 */
import { and, eq, sql, type SQL } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { uniqueViolation } from "@/db/errors";
import { inTransaction, type CommandOptions } from "@/db/transaction";
import type { DbOrTx, Tx } from "@/db/types";
import { customDomains, servers } from "@/db/schema";
import { recordActivity, type Actor } from "@/lib/activity";
import type { Principal } from "@/lib/auth/principal";
import { config } from "@/lib/config";
import { checkCname, type CnameCheckResult } from "@/lib/dns/cname-check";
import { normalizeCustomDomain } from "@/lib/domains/hostname";
import { ConflictError, DomainError, NotFoundError, UnprocessableError, ValidationError } from "@/lib/errors";
import type { InstanceContext } from "@/lib/instances/present";
import { enforceRateLimit, type RateLimitRule } from "@/lib/rate-limit";
import { apiTimestamp } from "@/lib/time";
import type { DomainConfig } from "@/lib/instance-agent/client";
import { applyDomainConfig, type ApplyOutcome } from "./agent";

export const DOMAIN_KINDS = ["portal", "meshcentral"] as const;
export type DomainKind = (typeof DOMAIN_KINDS)[number];

export const KIND_LABELS: Record<DomainKind, string> = {
  portal: "Portal-Domain",
  meshcentral: "MeshCentral-Domain",
};

export const DOMAIN_STATUS_LABELS = {
  default: "Standard-Domain aktiv",
  pending: "Wird angewendet",
  applied: "Aktiv",
  failed: "Gespeichert, noch nicht angewendet",
} as const;
export type DomainState = keyof typeof DOMAIN_STATUS_LABELS;

/** DNS look-ups (check-cname and PUT) per instance: protects the resolvers from a script in a loop. */
export const DNS_CHECK_RATE_LIMIT: RateLimitRule = { limit: 30, windowSeconds: 60 };

export const DOMAIN_MESSAGES = {
  savedApplied: "Domain gespeichert und auf Server angewendet",
  savedNotApplied: (reason: string) =>
    `Domain gespeichert, aber noch nicht auf dem Server angewendet: ${reason} Die Einstellung bleibt erhalten; bitte wenden Sie sie später über „Erneut anwenden“ an (oder senden Sie die Domain erneut).`,
  removed: (fallback: string) => `Domain entfernt und auf Server angewendet. Es gilt wieder die Standard-Domain ${fallback}.`,
  removeFailed: (reason: string) =>
    `Die Domain konnte nicht vom Server entfernt werden: ${reason} Sie bleibt vorerst eingetragen; bitte versuchen Sie das Entfernen später erneut.`,
  reapplied: "Domain-Konfiguration auf Server angewendet",
  reapplyFailed: (reason: string) => `Die Domain-Konfiguration konnte nicht angewendet werden: ${reason}`,
  otherInstance: "Diese Domain wird bereits von einer anderen Instanz verwendet.",
  otherKind: (kind: DomainKind) =>
    `Diese Domain ist bei Ihnen bereits als ${KIND_LABELS[kind]} eingetragen. Eine Domain kann nur für einen Dienst verwendet werden.`,
  notConfigured: (kind: DomainKind) => `Es ist keine eigene ${KIND_LABELS[kind]} eingerichtet.`,
  cnameFailed: (check: CnameCheckResult) => `Die Domain wurde nicht gespeichert: ${check.message}`,
};

/** The instance agent did not apply a removal; nothing was changed (502: the upstream failed). */
export class DomainApplyError extends DomainError {
  readonly status = 502;
}

type Row = typeof customDomains.$inferSelect;

export function defaultDomain(ctx: InstanceContext, kind: DomainKind): string {
  return kind === "portal" ? ctx.instance.portalDomain : ctx.instance.meshcentralDomain;
}

function stateOf(row: Row | undefined): DomainState {
  if (!row) return "default";
  if (row.applied) return "applied";
  return row.lastError ? "failed" : "pending";
}

function presentKind(ctx: InstanceContext, kind: DomainKind, row: Row | undefined) {
  const fallback = defaultDomain(ctx, kind);
  const state = stateOf(row);
  const active = row?.applied ? row.domain : fallback;
  return {
    kind,
    label: KIND_LABELS[kind],
    default_domain: fallback,
    custom_domain: row?.domain ?? null,
    active_domain: active,
    url: `https://${active}`,
    cname_target: fallback,
    status: state,
    status_label: DOMAIN_STATUS_LABELS[state],
    applied: row?.applied ?? false,
    applied_at: apiTimestamp(row?.appliedAt),
    last_error: row?.lastError ?? null,
    last_check_status: row?.lastCheckStatus ?? null,
    last_checked_at: apiTimestamp(row?.lastCheckedAt),
  };
}

async function loadRows(db: Db | Tx, instanceId: number): Promise<Row[]> {
  return db.select().from(customDomains).where(eq(customDomains.instanceId, instanceId));
}

async function serverIpv4(instanceId: number, db?: DbOrTx): Promise<string | undefined> {
  db ??= await getDb();
  const [row] = await db.select({ ipv4: servers.ipv4 }).from(servers).where(eq(servers.instanceId, instanceId));
  return row?.ipv4 ?? undefined;
}

/** GET /domains */
export async function getDomainConfiguration(ctx: InstanceContext, principal: Principal) {
  const db = await getDb();
  const rows = await loadRows(db, ctx.instance.id);
  const portal = presentKind(ctx, "portal", rows.find((r) => r.kind === "portal"));
  const meshcentral = presentKind(ctx, "meshcentral", rows.find((r) => r.kind === "meshcentral"));
  return {
    portal_domain: portal.default_domain,
    custom_portal_domain: portal.custom_domain,
    portal_url: portal.url,
    meshcentral_domain: meshcentral.default_domain,
    custom_meshcentral_domain: meshcentral.custom_domain,
    meshcentral_url: meshcentral.url,
    cname_target: { portal: portal.cname_target, meshcentral: meshcentral.cname_target },
    server_ipv4: (await serverIpv4(ctx.instance.id)) ?? null,
    portal,
    meshcentral,
    // Staff in the read-only customer view (no own instance) may look, not change.
    can_write: principal.permissions.has("domain.write") && principal.instanceId !== null,
  };
}
export type DomainConfiguration = Awaited<ReturnType<typeof getDomainConfiguration>>;

/** Validates and normalises the host name; 422 with a field error on `domain`. */
export function normalizeDomainOrThrow(input: string): string {
  const result = normalizeCustomDomain(input, { mspZone: config().MSP_DOMAIN });
  if (!result.ok) throw new ValidationError({ domain: [result.error] });
  return result.domain;
}

async function runCnameCheck(ctx: InstanceContext, domain: string, kind: DomainKind, db?: DbOrTx): Promise<CnameCheckResult> {
  const cfg = config();
  const servers = cfg.DNS_RESOLVERS?.split(/[\s,]+/).filter(Boolean);
  return checkCname(domain, {
    expectedTarget: defaultDomain(ctx, kind),
    serverIpv4: await serverIpv4(ctx.instance.id, db),
    servers: servers && servers.length > 0 ? servers : undefined,
    timeoutMs: cfg.DNS_TIMEOUT_MS,
  });
}

function presentCheck(check: CnameCheckResult, kind: DomainKind) {
  return { ...check, kind, checked_at: apiTimestamp(new Date()) };
}

/** Remembers the outcome of a check on the saved row, when the domain is the saved one. */
async function recordCheck(instanceId: number, domain: string, check: CnameCheckResult, db?: DbOrTx) {
  db ??= await getDb();
  await db
    .update(customDomains)
    .set({ lastCheckStatus: check.status, lastCheckedAt: new Date() })
    .where(and(eq(customDomains.instanceId, instanceId), eq(customDomains.domain, domain)));
}

/**
 * POST /domains/check-cname. Without `kind` the portal target is expected; a
 * record that points at the MeshCentral target is then recognised as such.
 */
export async function checkDomainCname(ctx: InstanceContext, input: { domain: string; kind?: DomainKind }) {
  const domain = normalizeDomainOrThrow(input.domain);
  await enforceRateLimit(`domains.dns:${ctx.instance.id}`, DNS_CHECK_RATE_LIMIT);
  let kind: DomainKind = input.kind ?? "portal";
  let check = await runCnameCheck(ctx, domain, kind);
  if (!input.kind && check.status === "wrong_target" && check.found.includes(defaultDomain(ctx, "meshcentral"))) {
    kind = "meshcentral";
    check = await runCnameCheck(ctx, domain, kind);
  }
  await recordCheck(ctx.instance.id, domain, check);
  return presentCheck(check, kind);
}

/** Runs `fn` in a transaction holding the instance's domain lock (a savepoint of `options.tx`, the lock then held until the caller commits). */
async function withDomainLock<T>(instanceId: number, fn: (tx: Tx) => Promise<T>, options?: CommandOptions): Promise<T> {
  return inTransaction(options, async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(7274001, ${instanceId}::int)`);
    return fn(tx);
  });
}

function desiredConfig(rows: Row[]) {
  return {
    portal_domain: rows.find((r) => r.kind === "portal")?.domain ?? null,
    meshcentral_domain: rows.find((r) => r.kind === "meshcentral")?.domain ?? null,
  };
}

/** After a successful push every row of the instance is live on the server. */
/**
 * Pushes the desired configuration to the instance's server inside the domain lock's
 * transaction: on success every saved domain counts as applied; on failure the rows
 * `unapplied` selects keep the agent's error (`error` words it).
 */
async function pushConfig(tx: Tx, ctx: InstanceContext, desired: DomainConfig, unapplied: SQL, error: (message: string) => string = (m) => m): Promise<ApplyOutcome> {
  const result = await applyDomainConfig(ctx.instance.name, desired);
  if (result.ok) await markAllApplied(tx, ctx.instance.id);
  else await tx.update(customDomains).set({ lastError: error(result.message), updatedAt: new Date() }).where(unapplied);
  return result;
}

async function markAllApplied(tx: Tx, instanceId: number) {
  const now = new Date();
  await tx
    .update(customDomains)
    .set({ applied: true, appliedAt: now, lastError: null, updatedAt: now })
    .where(and(eq(customDomains.instanceId, instanceId), eq(customDomains.applied, false)));
  await tx
    .update(customDomains)
    .set({ lastError: null })
    .where(eq(customDomains.instanceId, instanceId));
}

async function assertDomainFree(db: Db | Tx, instanceId: number, kind: DomainKind, domain: string) {
  const [taken] = await db
    .select({ instanceId: customDomains.instanceId, kind: customDomains.kind })
    .from(customDomains)
    .where(eq(customDomains.domain, domain));
  if (!taken) return;
  if (taken.instanceId !== instanceId) throw new ConflictError(DOMAIN_MESSAGES.otherInstance);
  if (taken.kind !== kind) throw new ConflictError(DOMAIN_MESSAGES.otherKind(taken.kind));
}

/** PUT /domains/custom-portal and /domains/custom-meshcentral */
export async function setCustomDomain(actor: Actor, input: { instance: InstanceContext; kind: DomainKind; domain: string }, options?: CommandOptions) {
  const { instance: ctx, kind } = input;
  const instanceId = ctx.instance.id;
  const domain = normalizeDomainOrThrow(input.domain);
  const db = options?.tx ?? (await getDb());
  await assertDomainFree(db, instanceId, kind, domain);

  await enforceRateLimit(`domains.dns:${instanceId}`, DNS_CHECK_RATE_LIMIT);
  const check = await runCnameCheck(ctx, domain, kind, options?.tx);
  await recordCheck(instanceId, domain, check, options?.tx);
  if (!check.ok) {
    throw new UnprocessableError(DOMAIN_MESSAGES.cnameFailed(check), { check: presentCheck(check, kind) });
  }

  let outcome: ApplyOutcome;
  try {
    ({ outcome } = await withDomainLock(instanceId, async (tx) => {
      await assertDomainFree(tx, instanceId, kind, domain);
      const before = (await loadRows(tx, instanceId)).find((r) => r.kind === kind);
      const now = new Date();
      await tx
        .insert(customDomains)
        .values({ instanceId, kind, domain, applied: false, lastCheckStatus: check.status, lastCheckedAt: now })
        .onConflictDoUpdate({
          target: [customDomains.instanceId, customDomains.kind],
          set: { domain, applied: false, appliedAt: null, lastError: null, lastCheckStatus: check.status, lastCheckedAt: now, updatedAt: now },
        });
      const result = await pushConfig(tx, ctx, desiredConfig(await loadRows(tx, instanceId)), and(eq(customDomains.instanceId, instanceId), eq(customDomains.kind, kind))!);
      const previous = before?.domain ?? null;
      const label = KIND_LABELS[kind];
      const replaced = previous && previous !== domain ? ` (vorher ${previous})` : "";
      await recordActivity(tx, actor, {
        instanceId,
        action: result.ok ? `domain.${kind}.set` : `domain.${kind}.apply_failed`,
        description: result.ok
          ? `Eigene ${label} ${domain} gespeichert und auf dem Server angewendet${replaced}`
          : `Eigene ${label} ${domain} gespeichert${replaced}, Anwenden auf dem Server fehlgeschlagen: ${result.message}`,
        metadata: { kind, domain, previous, applied: result.ok, ...(result.ok ? {} : { error_kind: result.kind }) },
      });
      return { outcome: result, previous };
    }, options));
  } catch (error) {
    if (uniqueViolation(error)) throw new ConflictError(DOMAIN_MESSAGES.otherInstance);
    throw error;
  }

  return outcome.ok
    ? { message: DOMAIN_MESSAGES.savedApplied, applied: true, domain }
    : { message: DOMAIN_MESSAGES.savedNotApplied(outcome.message), applied: false, domain, retry: "POST /api/manage/domains/apply" };
}

/** DELETE /domains/custom-portal and /domains/custom-meshcentral: the server is updated first, then the row goes. */
export async function removeCustomDomain(actor: Actor, input: { instance: InstanceContext; kind: DomainKind }, options?: CommandOptions) {
  const { instance: ctx, kind } = input;
  const instanceId = ctx.instance.id;
  const fallback = defaultDomain(ctx, kind);
  const { row, outcome } = await withDomainLock(instanceId, async (tx) => {
    const rows = await loadRows(tx, instanceId);
    const current = rows.find((r) => r.kind === kind);
    if (!current) return { row: undefined, outcome: undefined };
    const result = await pushConfig(tx, ctx, desiredConfig(rows.filter((r) => r.kind !== kind)), eq(customDomains.id, current.id), DOMAIN_MESSAGES.removeFailed);
    if (result.ok) await tx.delete(customDomains).where(eq(customDomains.id, current.id));
    const label = KIND_LABELS[kind];
    await recordActivity(tx, actor, {
      instanceId,
      action: result.ok ? `domain.${kind}.removed` : `domain.${kind}.remove_failed`,
      description: result.ok
        ? `Eigene ${label} ${current.domain} entfernt, Standard-Domain ${fallback} ist wieder aktiv`
        : `Entfernen der eigenen ${label} ${current.domain} fehlgeschlagen: ${result.message}`,
      metadata: { kind, domain: current.domain, applied: result.ok, ...(result.ok ? {} : { error_kind: result.kind }) },
    });
    return { row: current, outcome: result };
  }, options);
  if (!row || !outcome) throw new NotFoundError(DOMAIN_MESSAGES.notConfigured(kind));

  if (!outcome.ok) {
    throw new DomainApplyError(DOMAIN_MESSAGES.removeFailed(outcome.message), { removed: false, domain: row.domain });
  }
  return { message: DOMAIN_MESSAGES.removed(fallback), removed: true, applied: true, domain: row.domain, active_domain: fallback };
}

/** POST /domains/apply: pushes the saved configuration again (retry after a failed apply). */
export async function reapplyDomains(actor: Actor, input: { instance: InstanceContext }, options?: CommandOptions) {
  const ctx = input.instance;
  const instanceId = ctx.instance.id;
  const { config: pushed, outcome } = await withDomainLock(instanceId, async (tx) => {
    const rows = await loadRows(tx, instanceId);
    const desired = desiredConfig(rows);
    const result = await pushConfig(tx, ctx, desired, and(eq(customDomains.instanceId, instanceId), eq(customDomains.applied, false))!);
    const domains = [desired.portal_domain, desired.meshcentral_domain].filter(Boolean).join(", ") || "nur Standard-Domains";
    await recordActivity(tx, actor, {
      instanceId,
      action: result.ok ? "domain.applied" : "domain.apply_failed",
      description: result.ok
        ? `Domain-Konfiguration erneut auf dem Server angewendet (${domains})`
        : `Erneutes Anwenden der Domain-Konfiguration fehlgeschlagen: ${result.message}`,
      metadata: { ...desired, applied: result.ok },
    });
    return { config: desired, outcome: result };
  }, options);
  return {
    message: outcome.ok ? DOMAIN_MESSAGES.reapplied : DOMAIN_MESSAGES.reapplyFailed(outcome.message),
    applied: outcome.ok,
    ...pushed,
  };
}
