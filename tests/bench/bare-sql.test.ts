/**
 * One copy of the benchmarked SQL: the bare baseline server (bench/http/bare-server.ts)
 * sends, route by route, exactly the statements the portal sends — same text, same
 * parameters — because it renders them from the portal's own query builders
 * (bench/http/statements.ts). Both run here on one seeded database, and what reaches
 * the driver is recorded: the portal's route handlers in-process, the bare server over
 * loopback HTTP. The comparison is with what the portal's code sends now, never with a
 * stored string: a service that changes its query without the builder the bench
 * renders, a route that gains or loses a statement, or a bench that keeps SQL of its
 * own fails here, and so does an answer that is no longer byte-identical.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { eq, sql } from "drizzle-orm";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as loginRoute } from "@/app/api/manage/auth/login/route";
import { GET as activityRoute } from "@/app/api/manage/activity-log/route";
import { GET as invoicesRoute } from "@/app/api/manage/invoices/route";
import { GET as invoiceRoute } from "@/app/api/manage/invoices/[id]/route";
import { GET as pdfRoute } from "@/app/api/manage/invoices/[id]/pdf/route";
import { GET as statusRoute } from "@/app/api/manage/status/route";
import { GET as v1MeRoute } from "@/app/api/v1/auth/me/route";
import { bareClient, createBareServer } from "@/bench/http/bare-server";
import { BENCH_KIND } from "@/bench/http/plans";
import { seedScale, type Scale } from "@/bench/http/scale";
import { bareStatements, postgresSend, type Send } from "@/bench/http/statements";
import { sessions } from "@/db/schema";
import { DEMO_PASSWORD } from "@/db/seed";
import { resultRows } from "@/db/types";
import { hashToken } from "@/lib/crypto/tokens";
import { useTestDatabase, usingPostgres } from "@/tests/helpers/db";
import { call } from "@/tests/helpers/http";
import { v1Login } from "@/tests/v1/helpers";

/** Enough rows for deep pages and a second invoice page, small enough to seed in seconds. */
const TINY_SCALE: Scale = { instances: 8, activity: 600, activityOnAcme: 200, invoices: 60, invoicesOnAcme: 24 };

type Sent = { text: string; params: unknown[] };
type Answer = { status: number; body: Buffer; sent: Sent[] };
type Handler = (req: NextRequest, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

const { db } = useTestDatabase();
const sent: Sent[] = [];
const closers: (() => Promise<unknown>)[] = [];
let bareBase = "";
const ids = { token: "", accessToken: "", acme: 0, invoice: 0, creditNote: 0, cancelled: 0, debited: 0, foreign: 0, lastPage: 1, lastKindPage: 1 };

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Client = any;

/** Records every statement that reaches the driver: postgres.js `unsafe`, PGlite `query` (what drizzle calls). */
function record(client: Client, method: "unsafe" | "query") {
  const original = client[method];
  client[method] = function (this: unknown, text: string, params: unknown[] = [], ...rest: unknown[]) {
    sent.push({ text, params: [...params] });
    return original.call(this, text, params, ...rest);
  };
}

const asBuffer = (value: unknown) => (value instanceof Uint8Array && !Buffer.isBuffer(value) ? Buffer.from(value) : value);

async function rows<T>(query: ReturnType<typeof sql>) {
  return resultRows<T>(await db().execute(query));
}

beforeAll(async () => {
  await seedScale(db(), TINY_SCALE);
  const client = (db() as unknown as { $client: Client }).$client;
  let send: Send;
  if (usingPostgres) {
    record(client, "unsafe");
    const bare = bareClient(process.env.DATABASE_URL, 2);
    record(bare, "unsafe");
    send = postgresSend(bare);
    closers.push(() => bare.end({ timeout: 5 }));
  } else {
    record(client, "query");
    // As bareClient: dates stay strings, int8 becomes a number; bytea as a Buffer (PGlite gives a Uint8Array).
    const parsers = { 20: (v: string) => Number(v), 1082: (v: string) => v };
    send = async (statement, params) => {
      const result = await client.query(statement.text, params, { rowMode: "array", parsers });
      return (result.rows as unknown[][]).map((row) => row.map(asBuffer));
    };
  }
  const server: Server = createBareServer(send);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closers.push(() => new Promise((resolve) => server.close(resolve)));
  bareBase = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const login = await call(loginRoute, "POST", "/api/manage/auth/login", { body: { email: "admin@firma.de", password: DEMO_PASSWORD }, ip: "198.51.100.77" });
  expect(login.status).toBe(200);
  ids.token = login.json.token;
  ids.accessToken = (await v1Login("admin@firma.de")).access_token;

  const [acme] = await rows<{ id: number; n: string; kind_n: string }>(sql`select i.id,
      (select count(*) from activity_log a where a.instance_id = i.id) as n,
      (select count(*) from activity_log a where a.instance_id = i.id and a.kind = ${BENCH_KIND}) as kind_n
    from instances i where i.name = 'acme'`);
  ids.acme = Number(acme!.id);
  ids.lastPage = Math.ceil(Number(acme!.n) / 20);
  ids.lastKindPage = Math.ceil(Number(acme!.kind_n) / 20);
  const acmeInvoices = await rows<{ id: number }>(sql`select id from invoices where instance_id = ${ids.acme} and issued_at is not null and pdf is not null order by id desc limit 3`);
  [ids.invoice, ids.cancelled, ids.debited] = acmeInvoices.map((r) => Number(r.id)) as [number, number, number];
  const [foreign] = await rows<{ id: number }>(sql`select max(id) as id from invoices where instance_id <> ${ids.acme} and issued_at is not null`);
  ids.foreign = Number(foreign!.id);

  // A credit note of one invoice (issued in one statement, as the scale seed writes issued invoices).
  const [credit] = await rows<{ id: number }>(sql`
    insert into invoices (instance_id, kind, invoice_number, title, invoice_date, due_date, payment_terms_days, service_period_start,
                          service_period_end, recipient, net_cents, vat_cents, gross_cents, cancels_invoice_id, issued_at, issuer)
    select instance_id, 'credit_note', 'GS-' || invoice_number, 'Storno ' || title, invoice_date, due_date, payment_terms_days, service_period_start,
           service_period_end, recipient, -net_cents, -vat_cents, -gross_cents, id, issued_at + interval '1 day', issuer
    from invoices where id = ${ids.cancelled} returning id`);
  ids.creditNote = Number(credit!.id);
  // A direct debit announced for another invoice, under an active mandate of acme.
  const [mandate] = await rows<{ id: number }>(sql`
    insert into sepa_mandates (instance_id, reference, account_holder, iban, scheme, signed_on, signed_by_name, creditor_id, creditor_name, mandate_text, pdf, pdf_sha256)
    values (${ids.acme}, 'BENCH-MANDAT-1', 'Acme Corp', 'DE02120300000000202051', 'CORE', date '2026-01-02', 'Anna Admin', 'DE98ZZZ09999999999',
            'MyIT Center GmbH', 'Mandatstext', decode('255044462d', 'hex'), encode(sha256(decode('255044462d', 'hex')), 'hex')) returning id`);
  await db().execute(sql`insert into sepa_debits (invoice_id, mandate_id, amount_cents, collection_date)
    select id, ${Number(mandate!.id)}, gross_cents, invoice_date + 5 from invoices where id = ${ids.debited}`);
}, 120_000);

afterAll(async () => {
  for (const close of closers.reverse()) await close();
});

async function onPortal(handler: Handler, path: string, token: string, params: Record<string, string> = {}): Promise<Answer> {
  sent.length = 0;
  const req = new NextRequest(new URL(path, "http://localhost:3000"), { headers: { authorization: `Bearer ${token}`, "x-forwarded-for": "198.51.100.77" } });
  const res = await handler(req, { params: Promise.resolve(params) });
  const body = Buffer.from(await res.arrayBuffer());
  return { status: res.status, body, sent: sent.splice(0) };
}

async function onBare(path: string, token: string): Promise<Answer> {
  sent.length = 0;
  const res = await fetch(new URL(path, bareBase), { headers: { authorization: `Bearer ${token}` } });
  const body = Buffer.from(await res.arrayBuffer());
  return { status: res.status, body, sent: sent.splice(0) };
}

/** Text and parameters, in a stable order (parallel statements may reach the driver in either order); a moment's exact time aside. */
function statements(list: Sent[]) {
  const moment = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;
  const value = (v: unknown) => (v instanceof Date ? "<moment>" : typeof v === "string" && moment.test(v) ? "<moment>" : v);
  return list.map((s) => JSON.stringify([s.text, s.params.map(value)])).sort();
}

const textsSentByBare = new Set<string>();

type Case = { name: string; handler: Handler; path: () => string; params?: () => Record<string, string>; v1?: boolean; idle?: boolean; check: (body: Buffer, status: number) => void };

const json = (body: Buffer) => JSON.parse(body.toString("utf8"));
/** Each side meets the session in the same state: just used, or idle for two minutes (then it is touched). */
const sessionUsed = (idle = false) =>
  db().update(sessions).set({ lastUsedAt: new Date(Date.now() - (idle ? 120_000 : 0)) }).where(eq(sessions.tokenHash, hashToken(ids.token)));

const CASES: Case[] = [
  { name: "GET /api/manage/status", handler: statusRoute, path: () => "/api/manage/status", check: (b) => expect(json(b).instance.name).toBe("acme") },
  {
    name: "GET /api/manage/status after a minute idle (the session is touched)",
    handler: statusRoute,
    path: () => "/api/manage/status",
    idle: true,
    check: (b) => expect(json(b).usage.level).toBeTypeOf("string"),
  },
  { name: "GET /api/manage/activity-log", handler: activityRoute, path: () => "/api/manage/activity-log", check: (b) => expect(json(b).logs).toHaveLength(20) },
  {
    name: "GET /api/manage/activity-log, the last page",
    handler: activityRoute,
    path: () => `/api/manage/activity-log?page=${ids.lastPage}`,
    check: (b) => expect(json(b).meta.current_page).toBe(ids.lastPage),
  },
  {
    name: `GET /api/manage/activity-log?kind=${BENCH_KIND}, the last page`,
    handler: activityRoute,
    path: () => `/api/manage/activity-log?kind=${BENCH_KIND}&page=${ids.lastKindPage}`,
    check: (b) => expect(json(b).logs.length).toBeGreaterThan(0),
  },
  { name: "GET /api/manage/invoices", handler: invoicesRoute, path: () => "/api/manage/invoices", check: (b) => expect(json(b).invoices).toHaveLength(15) },
  { name: "GET /api/manage/invoices?page=2", handler: invoicesRoute, path: () => "/api/manage/invoices?page=2", check: (b) => expect(json(b).invoices.length).toBeGreaterThan(0) },
  {
    name: "GET /api/manage/invoices/{id}",
    handler: invoiceRoute,
    path: () => `/api/manage/invoices/${ids.invoice}`,
    params: () => ({ id: String(ids.invoice) }),
    check: (b) => expect(json(b).invoice.items.length).toBeGreaterThan(0),
  },
  {
    name: "GET /api/manage/invoices/{id} of an invoice with a credit note",
    handler: invoiceRoute,
    path: () => `/api/manage/invoices/${ids.cancelled}`,
    params: () => ({ id: String(ids.cancelled) }),
    check: (b) => expect(JSON.stringify(json(b))).toContain(`GS-`),
  },
  {
    name: "GET /api/manage/invoices/{id} of a credit note",
    handler: invoiceRoute,
    path: () => `/api/manage/invoices/${ids.creditNote}`,
    params: () => ({ id: String(ids.creditNote) }),
    check: (b) => expect(json(b).invoice.kind).toBe("credit_note"),
  },
  {
    name: "GET /api/manage/invoices/{id} of an invoice with a direct debit",
    handler: invoiceRoute,
    path: () => `/api/manage/invoices/${ids.debited}`,
    params: () => ({ id: String(ids.debited) }),
    check: (b) => expect(json(b).invoice.direct_debit.mandate_reference).toBe("BENCH-MANDAT-1"),
  },
  {
    name: "GET /api/manage/invoices/{id} of another instance (404)",
    handler: invoiceRoute,
    path: () => `/api/manage/invoices/${ids.foreign}`,
    params: () => ({ id: String(ids.foreign) }),
    check: (b, status) => expect([status, json(b).message]).toEqual([404, "Rechnung nicht gefunden."]),
  },
  {
    name: "GET /api/manage/invoices/{id}/pdf",
    handler: pdfRoute,
    path: () => `/api/manage/invoices/${ids.invoice}/pdf`,
    params: () => ({ id: String(ids.invoice) }),
    check: (b) => expect(b.subarray(0, 5).toString()).toBe("%PDF-"),
  },
  { name: "GET /api/v1/auth/me", handler: v1MeRoute, path: () => "/api/v1/auth/me", v1: true, check: (b) => expect(json(b).instance.name).toBe("acme") },
];

describe("the bare server sends the portal's statements (one copy of the benchmarked SQL)", () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const token = c.v1 ? ids.accessToken : ids.token;
      await sessionUsed(c.idle);
      const portal = await onPortal(c.handler, c.path(), token, c.params?.());
      await sessionUsed(c.idle);
      const bare = await onBare(c.path(), token);
      expect(portal.sent.length, "the portal sent no statement").toBeGreaterThan(0);
      expect(statements(bare.sent)).toEqual(statements(portal.sent));
      expect(bare.status).toBe(portal.status);
      expect(bare.body.equals(portal.body), `bodies differ:\nportal ${portal.body.toString().slice(0, 400)}\nbare   ${bare.body.toString().slice(0, 400)}`).toBe(true);
      c.check(portal.body, portal.status);
      for (const s of bare.sent) textsSentByBare.add(s.text);
    });
  }

  it("every statement the bare server holds is the builder rendered by the test database's driver, and is sent by a route above", () => {
    const mock = bareStatements();
    const live = bareStatements(db());
    for (const [name, statement] of Object.entries(mock)) {
      expect(statement.text, name).toBe(live[name as keyof typeof live].text);
      expect(textsSentByBare.has(statement.text), `${name} was sent by no route`).toBe(true);
    }
  });
});
