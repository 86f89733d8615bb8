/**
 * The SQL of the bare baseline server, with no copy of its own: each statement is
 * the portal's own query builder (the one the service runs, exported beside it)
 * rendered once at start with drizzle's `.toSQL()` — SQL text with `$n` and the
 * placeholders the server fills per request. A query changed in lib/ changes here
 * too; tests/bench/bare-sql.test.ts checks that the bare server sends, route by
 * route, exactly the statements the portal sends.
 *
 * Rows come back as arrays (postgres.js `.values()`) and are shaped into the
 * builder's own field names (`user.id`, `instance.suspended`, `grossCents`), read
 * from the builder's selection, so a column added to a builder cannot shift a read.
 */
import { Column, fillPlaceholders, getTableColumns, is, sql, SQL, Table, type Query } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import type postgres from "postgres";
import type { Db } from "@/db/client";
import * as schema from "@/db/schema";
import { activitySelects } from "@/lib/activity";
import { accessPrincipalSelect, tenantUuidSelect } from "@/lib/auth/token-families";
import { sessionPrincipalSelect, touchSession } from "@/lib/auth/principal";
import { twoFactorStatusSelect } from "@/lib/auth/two-factor";
import { V1_RATE_LIMITS } from "@/lib/doors/v1/rate-limits";
import { instanceContextSelects } from "@/lib/instances/present";
import { usageSelect } from "@/lib/instances/usage";
import { customerListSelects, debitStateSelect, relatedInvoicesSelect } from "@/lib/invoices/queries";
import { itemsSelect, paymentsSelect, visibleRowSelect } from "@/lib/invoices/rows";
import { consumeRateLimitUpsert } from "@/lib/rate-limit";
import { debitWithMandateSelect } from "@/lib/sepa/prenotification";
import { statusSelects } from "@/lib/status";

/** One rendered statement: its text, its parameters from named values, the paths of its result columns. */
export type Statement = { name: string; text: string; params: (values?: Record<string, unknown>) => unknown[]; columns: string[][] };

type Builder = { toSQL(): Query };

/** The result columns of a builder, in the order drizzle renders them: a select's fields, an insert's `returning`. */
function selection(builder: Builder): Record<string, unknown> {
  const select = (builder as { _?: { selectedFields?: Record<string, unknown> } })._?.selectedFields;
  const returning = (builder as unknown as { config?: { returningFields?: Record<string, unknown> } }).config?.returningFields;
  return select ?? returning ?? {};
}

/** The paths of the fields as drizzle orders them (nested objects and whole tables flattened in order). */
export function columnPaths(fields: Record<string, unknown>, prefix: string[] = []): string[][] {
  return Object.entries(fields).flatMap(([key, field]) => {
    const path = [...prefix, key];
    if (is(field, Column) || is(field, SQL) || is(field, SQL.Aliased)) return [path];
    if (is(field, Table)) return columnPaths(getTableColumns(field), path);
    return columnPaths(field as Record<string, unknown>, path);
  });
}

export function render(name: string, builder: Builder): Statement {
  const query = builder.toSQL();
  return { name, text: query.sql, params: (values = {}) => fillPlaceholders(query.params, values), columns: columnPaths(selection(builder)) };
}

const $ = (name: string) => sql.placeholder(name);

/** Every statement the bare server sends, rendered from the portal's builders (route by route). */
export function bareStatements(db: Db = drizzle.mock({ schema }) as unknown as Db) {
  const status = statusSelects(db);
  const activity = activitySelects(db);
  const invoices = customerListSelects(db);
  const instance = instanceContextSelects(db, $("instanceId"));
  const statements = {
    // Every /api/manage request: lib/auth/principal.ts loadSessionPrincipal.
    sessionPrincipal: sessionPrincipalSelect(db),
    sessionTouch: touchSession(db, $("sessionId"), $("at")),
    // GET /api/manage/status: lib/status.ts instanceStatus, lib/instances/usage.ts loadUsage.
    statusServer: status.server,
    statusBilling: status.billing,
    statusTierPriceChanges: status.tierPriceChanges,
    usage: usageSelect(db, $("instanceId")),
    // GET /api/manage/activity-log: lib/activity listActivity.
    activityTotal: activity.total,
    activityPage: activity.page,
    activityKindTotal: activity.kindTotal,
    activityKindPage: activity.kindPage,
    // GET /api/manage/invoices: lib/invoices/queries.ts listInvoices (the default list).
    invoiceCount: invoices.count,
    invoicePage: invoices.page,
    invoiceStats: invoices.stats,
    // GET /api/manage/invoices/{id}(/pdf): lib/invoices/rows.ts findVisibleRow, queries.ts detailParts, lib/sepa/prenotification.ts debitOf.
    invoiceVisible: visibleRowSelect(db, $("instanceId"), $("id")),
    invoiceVisibleWithoutPdf: visibleRowSelect(db, $("instanceId"), $("id"), { withPdf: false }),
    invoiceItems: itemsSelect(db, $("invoiceId")),
    invoicePayments: paymentsSelect(db, $("invoiceId")),
    invoiceRelated: relatedInvoicesSelect(db, $("invoiceId"), null),
    invoiceRelatedOfCreditNote: relatedInvoicesSelect(db, $("invoiceId"), $("cancelsInvoiceId")),
    invoiceDebit: debitWithMandateSelect(db, $("invoiceId")),
    invoiceDebitState: debitStateSelect(db, $("invoiceId")),
    // GET /api/v1/auth/me: lib/auth/token-families.ts resolveAccessToken and tenantClaims, lib/rate-limit.ts,
    // lib/instances/present.ts loadInstanceContext, lib/auth/two-factor.ts twoFactorStatus.
    v1AccessPrincipal: accessPrincipalSelect(db),
    v1RateLimit: consumeRateLimitUpsert(db, $("key"), V1_RATE_LIMITS.user),
    instanceContext: instance.instance,
    instanceDomains: instance.domains,
    tenantUuid: tenantUuidSelect(db, $("instanceId")),
    twoFactorStatus: twoFactorStatusSelect(db, $("userId")),
  } satisfies Record<string, Builder>;
  return Object.fromEntries(Object.entries(statements).map(([name, builder]) => [name, render(name, builder)])) as Record<keyof typeof statements, Statement>;
}

export type BareStatements = ReturnType<typeof bareStatements>;

/** How the bare server sends a statement: rows as arrays. postgres.js in the benchmark; tests pass their own. */
export type Send = (statement: Statement, params: unknown[]) => Promise<unknown[][]>;

export function postgresSend(client: postgres.Sql): Send {
  return async (statement, params) => (await client.unsafe(statement.text, params as never[]).values()) as unknown[][];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Row = Record<string, any>;

/** A row array shaped into the builder's field names (nested as drizzle nests them). */
export function shape(columns: string[][], values: unknown[]): Row {
  const row: Row = {};
  for (let i = 0; i < columns.length; i++) {
    const path = columns[i]!;
    let node = row;
    for (let k = 0; k < path.length - 1; k++) node = node[path[k]!] ??= {};
    node[path[path.length - 1]!] = values[i];
  }
  return row;
}
