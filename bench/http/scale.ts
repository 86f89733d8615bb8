/**
 * Bulk scale data for the HTTP benchmark and the query-plan test, written with
 * `generate_series` SQL on top of the demo data (db/seed.ts):
 *
 * - instances up to `instances` in total (`bench-0001` …), each with its server and billing row;
 * - activity_log up to `activity` rows in total, `activityOnAcme` of them on the demo
 *   customer `acme` (admin@firma.de), the rest spread over all other instances, numbered
 *   per instance as the database numbers live entries (`seq`, migration 0019; `kind` and
 *   `kind_seq`, migration 0027);
 * - `invoices` issued invoices (1–3 items each, ~70 % paid, ~10 % partially paid,
 *   the rest overdue), `invoicesOnAcme` of them on acme, with archived PDF bytes.
 *
 * Issued invoices are immutable in the database (db/migrations/0005_invoices_immutable.sql):
 * they are inserted already issued, in one statement, with explicit ids. Their items
 * can then only be written with the guard triggers switched off for this one
 * transaction (`session_replication_role = replica`, which also skips the foreign key
 * checks — the ids are generated consistently here). Bench invoices use the years
 * 2010–2019, so they never collide with the demo invoices or the live number counter.
 *
 * Idempotent: a row in `bench_scale` records what was seeded; the same scale is skipped.
 */
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";

export type Scale = {
  instances: number;
  activity: number;
  activityOnAcme: number;
  invoices: number;
  invoicesOnAcme: number;
};

/** The scale of issue 12. */
export const PRODUCTION_SCALE: Scale = {
  instances: 1_000,
  activity: 1_000_000,
  activityOnAcme: 120_000,
  invoices: 100_000,
  invoicesOnAcme: 1_200,
};

/**
 * The production scale with `factor` times the instances and the activity log
 * (BENCH_SCALE=10: 10,000 instances, 10,000,000 entries, 1,200,000 on acme);
 * invoices stay as they are.
 */
export function scaledBy(factor: number): Scale {
  if (!(factor > 0)) throw new Error(`BENCH_SCALE muss eine positive Zahl sein, nicht ${factor}.`);
  const times = (n: number) => Math.round(n * factor);
  return { ...PRODUCTION_SCALE, instances: times(PRODUCTION_SCALE.instances), activity: times(PRODUCTION_SCALE.activity), activityOnAcme: times(PRODUCTION_SCALE.activityOnAcme) };
}

/** The small scale the plan test seeds into a test database. */
export const SMALL_SCALE: Scale = {
  instances: 60,
  activity: 5_000,
  activityOnAcme: 1_500,
  invoices: 2_000,
  invoicesOnAcme: 200,
};

export const BENCH_CUSTOMER = { instance: "acme", email: "admin@firma.de" } as const;

const FIRST_YEAR = 2010;
const YEARS = 10;

/** A minimal valid one-page PDF, used when no rendered PDF is given. */
export const TINY_PDF = Buffer.from(
  "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n" +
    "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n",
);

type Row = Record<string, unknown>;

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

async function rows<T extends Row>(db: Db, query: ReturnType<typeof sql>): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as T[] | { rows: T[] };
  return Array.isArray(result) ? result : result.rows;
}

async function scalar(db: Db, query: ReturnType<typeof sql>): Promise<number> {
  const [row] = await rows<{ n: unknown }>(db, query);
  return Number(row?.n ?? 0);
}

export async function seededScale(db: Db): Promise<Scale | null> {
  await db.execute(sql`create table if not exists bench_scale (key text primary key, seeded_at timestamptz not null default now(), scale jsonb not null)`);
  const [row] = await rows<{ scale: Scale | string }>(db, sql`select scale from bench_scale where key = 'scale'`);
  if (!row) return null;
  return typeof row.scale === "string" ? (JSON.parse(row.scale) as Scale) : row.scale;
}

/**
 * Seeds `scale` on top of the demo data (which must be present). Returns false when
 * this scale was seeded before. `pdf` is copied into every bench invoice.
 */
export async function seedScale(db: Db, scale: Scale, options: { pdf?: Buffer; log?: (line: string) => void } = {}) {
  const log = options.log ?? (() => {});
  const existing = await seededScale(db);
  const same = existing && (Object.keys(scale) as (keyof Scale)[]).every((key) => Number(existing[key]) === scale[key]);
  if (same) return false;
  if (existing) throw new Error(`Die Datenbank enthält bereits Benchmark-Daten einer anderen Größe: ${JSON.stringify(existing)}`);

  const [acme] = await rows<{ id: number; user_id: string; user_name: string }>(
    db,
    sql`select i.id, u.id as user_id, u.name as user_name from instances i join users u on u.instance_id = i.id
        where i.name = ${BENCH_CUSTOMER.instance} and u.email = ${BENCH_CUSTOMER.email}`,
  );
  if (!acme) throw new Error("Demo-Daten fehlen (Instanz acme mit admin@firma.de): erst seedDemoData ausführen.");
  const pdf = options.pdf ?? TINY_PDF;
  const pdfHex = pdf.toString("hex");

  await db.transaction(async (tx) => {
    const t = tx as unknown as Db;
    // Bulk statements over millions of rows: not bound by the app's statement timeout (DB_STATEMENT_TIMEOUT_MS).
    await t.execute(sql`set local statement_timeout = 0`);
    let start = Date.now();
    const step = (name: string) => {
      log(`  ${name}: ${((Date.now() - start) / 1000).toFixed(1)} s`);
      start = Date.now();
    };

    // Instances with their server and billing rows.
    const haveInstances = await scalar(t, sql`select count(*) as n from instances`);
    const newInstances = Math.max(0, scale.instances - haveInstances);
    await t.execute(sql`
      insert into instances (name, company_name, status, pricing_tier, portal_domain, meshcentral_domain, created_at)
      select 'bench-' || lpad(g::text, 4, '0'), 'Benchmark Kunde ' || g || ' GmbH',
             (array['online','online','online','offline','maintenance'])[1 + g % 5],
             (array['starter','standard','professional'])[1 + g % 3],
             'bench-' || lpad(g::text, 4, '0') || '.portal.myit.center',
             'bench-' || lpad(g::text, 4, '0') || '.remote.myit.center',
             now() - make_interval(days => g % 900)
      from generate_series(1, ${newInstances}::int) g`);
    await t.execute(sql`
      insert into servers (instance_id, hetzner_server_id, name, ipv4, server_type, datacenter, status, health_status, last_synced_at)
      select i.id, 100000 + i.id, i.name, '10.' || (i.id / 65536) % 256 || '.' || (i.id / 256) % 256 || '.' || i.id % 256,
             'cx22', (array['nbg1','fsn1','hel1'])[1 + i.id % 3], 'online', 'healthy', now() - interval '5 minutes'
      from instances i where i.name like 'bench-%' on conflict do nothing`);
    await t.execute(sql`
      insert into billing (instance_id, status, paid_until)
      select i.id, 'active', date '2026-12-01' from instances i where i.name like 'bench-%' on conflict do nothing`);
    step(`${newInstances} Instanzen`);

    // Activity: acme first, then the rest over every other instance, all newer than the demo
    // entries and each instance's rows in time order. Numbered here, as the insert trigger of
    // migration 0019 would number them (1, 2, 3, … in time order per instance, the kept count
    // and last number in activity_counts; per kind the same with kind_seq and
    // activity_kind_counts, migration 0027), with the triggers off: one per-row trigger call for
    // ten million rows is most of the seeding time.
    await t.execute(sql`set local session_replication_role = replica`);
    const haveAcme = await scalar(t, sql`select count(*) as n from activity_log where instance_id = ${acme.id}`);
    const acmeRows = Math.max(0, scale.activityOnAcme - haveAcme);
    // kind_seq: the number of rows g' <= g of the same kind. Residue r of g % 5 holds
    // (g + 5 - r) / 5 of them (r = 0: g / 5); the sign-ins are the residues 0 and 4.
    await t.execute(sql`
      with base as (select kind, last_seq from activity_kind_counts where instance_id = ${acme.id}::int),
           r as (select g, (array['manage.login','server.reboot','domain.check','invoice.viewed','manage.login_failed'])[1 + g % 5] as action
                 from generate_series(1, ${acmeRows}::int) g)
      insert into activity_log (instance_id, user_id, actor_name, actor_type, action, description, level, ip, created_at, seq, kind, kind_seq)
      select ${acme.id}::int, ${acme.user_id}::uuid, ${acme.user_name}::text, 'user', r.action,
             (array['Login über Manage-Portal','Server-Neustart ausgelöst','Custom-Domain geprüft','Rechnung angesehen','Fehlgeschlagener Login (falsches Passwort)'])[1 + g % 5],
             case when g % 5 = 4 then 'warning' else 'info' end,
             '203.0.113.' || g % 250,
             now() - make_interval(secs => (${acmeRows}::int - g) * 0.1),
             coalesce((select last_seq from activity_counts where instance_id = ${acme.id}::int), 0) + g,
             activity_kind(r.action),
             coalesce(base.last_seq, 0) + case when g % 5 in (0, 4) then g / 5 + (g + 1) / 5 else (g + 5 - g % 5) / 5 end
      from r left join base on base.kind = activity_kind(r.action)`);
    step(`${acmeRows} Aktivitäten auf acme`);
    const haveActivity = await scalar(t, sql`select count(*) as n from activity_log`);
    const otherRows = Math.max(0, scale.activity - haveActivity);
    const others = await scalar(t, sql`select count(*) as n from instances where id <> ${acme.id}`);
    // Row g goes to instance k = g % others as its j-th row (j = g / others, newest first); of
    // J_k = (otherRows - 1 - k) / others + 1 rows. Its action is g % 4 (one kind each), so along
    // j the kinds repeat every p = 4 / gcd(others, 4) rows: the rows of its kind at or below
    // row j (older) are (J_k - 1 - j) / p + 1.
    const period = 4 / gcd(others, 4);
    await t.execute(sql`
      with inst as (
        select i.id, (row_number() over (order by i.id) - 1)::int as k, coalesce(c.last_seq, 0) as base
        from instances i left join activity_counts c on c.instance_id = i.id where i.id <> ${acme.id}),
           kb as (select instance_id, kind, last_seq from activity_kind_counts),
           r as (
        select g, inst.id, inst.k, inst.base, (${otherRows}::int - 1 - inst.k) / ${others}::int + 1 as rows_k, g / ${others}::int as j,
               (array['manage.login','server.health','billing.run','domain.check'])[1 + g % 4] as action
        from generate_series(0, ${otherRows}::int - 1) g join inst on inst.k = g % ${others}::int)
      insert into activity_log (instance_id, actor_name, actor_type, action, description, level, ip, created_at, seq, kind, kind_seq)
      select r.id, 'Benchmark', (array['user','system','anonymous'])[1 + g % 3], r.action,
             (array['Login über Manage-Portal','Health-Check','Abrechnungslauf','Custom-Domain geprüft'])[1 + g % 4],
             case when g % 11 = 0 then 'warning' else 'info' end,
             '198.51.100.' || g % 250,
             now() - make_interval(secs => g * 0.1 / 7),
             r.base + r.rows_k - r.j,
             activity_kind(r.action),
             coalesce(kb.last_seq, 0) + (r.rows_k - 1 - r.j) / ${period}::int + 1
      from r left join kb on kb.instance_id = r.id and kb.kind = activity_kind(r.action)`);
    await t.execute(sql`
      insert into activity_counts (instance_id, n, last_seq, last_at)
      select instance_id, count(*), max(seq), max(created_at) from activity_log where instance_id is not null group by instance_id
      on conflict (instance_id) do update set n = excluded.n, last_seq = excluded.last_seq, last_at = excluded.last_at`);
    await t.execute(sql`
      insert into activity_kind_counts (instance_id, kind, n, last_seq)
      select instance_id, kind, count(*), max(kind_seq) from activity_log where kind_seq is not null group by instance_id, kind
      on conflict (instance_id, kind) do update set n = excluded.n, last_seq = excluded.last_seq`);
    await t.execute(sql`set local session_replication_role = origin`);
    step(`${otherRows} weitere Aktivitäten`);

    // Issued invoices with explicit ids; acme first, then round robin over the other instances.
    const baseId = await scalar(t, sql`select coalesce(max(id), 0) as n from invoices`);
    const perYear = Math.ceil(scale.invoices / YEARS);
    const [source] = await rows<{ issuer: unknown }>(t, sql`select issuer::text as issuer from invoices where issuer is not null order by id limit 1`);
    const issuer = source?.issuer ?? JSON.stringify({ name: "MyIT Center GmbH" });
    await t.execute(sql`
      with inst as (select id, (row_number() over (order by id) - 1)::int as k from instances where id <> ${acme.id}),
           g as (
             select g as i, ${FIRST_YEAR}::int + (g - 1) / ${perYear}::int as year, (g - 1) % ${perYear}::int + 1 as seq,
                    1 + g % 3 as m, (g % 7) * 100 as extra
             from generate_series(1, ${scale.invoices}::int) g),
           v as (
             select g.*, make_date(g.year, 1, 1) + ((g.seq - 1) * 360 / ${perYear}::int) as invoice_date,
                    1000 * g.m * (g.m + 1) / 2 + g.m * g.extra as net,
                    case when g.i <= ${scale.invoicesOnAcme}::int then ${acme.id}::int else inst.id end as instance_id
             from g join inst on inst.k = g.i % ${others}::int)
      insert into invoices (id, instance_id, kind, invoice_number, title, invoice_date, due_date, payment_terms_days,
                            service_period_start, service_period_end, recipient, net_cents, vat_cents, gross_cents,
                            issued_at, issuer, pdf, pdf_sha256, created_at, updated_at)
      select ${baseId}::int + v.i, v.instance_id, 'invoice',
             'RE-' || v.year || '-' || case when v.seq < 1000 then lpad(v.seq::text, 4, '0') else v.seq::text end,
             'Monatliche Lizenz ' || to_char(v.invoice_date, 'MM/YYYY'), v.invoice_date, v.invoice_date + 14, 14,
             date_trunc('month', v.invoice_date)::date, (date_trunc('month', v.invoice_date) + interval '1 month - 1 day')::date,
             jsonb_build_object('company_name', i.company_name, 'name', null, 'address_lines', jsonb_build_array('Musterstraße 1', '12345 Musterstadt'),
                                'vat_id', null, 'customer_number', 'K-' || i.id),
             v.net, round(v.net * 0.19), v.net + round(v.net * 0.19),
             v.invoice_date + time '09:00' at time zone 'UTC', ${issuer}::jsonb,
             decode(${pdfHex}, 'hex'), encode(sha256(decode(${pdfHex}, 'hex')), 'hex'),
             v.invoice_date + time '08:00' at time zone 'UTC', v.invoice_date + time '09:00' at time zone 'UTC'
      from v join instances i on i.id = v.instance_id`);
    await t.execute(sql`select setval(pg_get_serial_sequence('invoices', 'id'), (select max(id) from invoices))`);
    await t.execute(sql`
      insert into invoice_number_counters (year, last_number)
      select y, ${perYear}::int from generate_series(${FIRST_YEAR}::int, ${FIRST_YEAR + YEARS - 1}::int) y
      on conflict (year) do update set last_number = greatest(invoice_number_counters.last_number, excluded.last_number)`);
    step(`${scale.invoices} Rechnungen`);

    // Items and payments of issued invoices: only with the guard triggers off (see above).
    await t.execute(sql`set local session_replication_role = replica`);
    await t.execute(sql`
      insert into invoice_items (invoice_id, position, description, quantity_milli, unit, unit_price_cents, vat_rate, net_cents)
      select inv.id, k, 'Leistung ' || k || ' (' || inv.title || ')', 1000, 'Monat',
             1000 * k + ((inv.id - ${baseId}::int) % 7) * 100, 1900, 1000 * k + ((inv.id - ${baseId}::int) % 7) * 100
      from invoices inv cross join lateral generate_series(1, 1 + (inv.id - ${baseId}::int) % 3) k
      where inv.id > ${baseId}::int`);
    await t.execute(sql`
      insert into invoice_payments (invoice_id, payment_date, amount_cents, method, reference, created_at)
      select inv.id, inv.invoice_date + 5,
             case when (inv.id - ${baseId}::int) % 10 < 7 then inv.gross_cents else inv.gross_cents / 2 end,
             'bank_transfer', inv.invoice_number, inv.invoice_date + time '12:00' at time zone 'UTC'
      from invoices inv where inv.id > ${baseId}::int and (inv.id - ${baseId}::int) % 10 < 8`);
    await t.execute(sql`set local session_replication_role = origin`);
    step("Positionen und Zahlungen");

    await t.execute(sql`insert into bench_scale (key, scale) values ('scale', ${JSON.stringify(scale)}::jsonb)`);
  });
  // VACUUM ANALYZE outside the transaction: statistics for the planner, visibility map for index-only scans.
  for (const table of ["instances", "servers", "billing", "activity_log", "invoices", "invoice_items", "invoice_payments", "sessions", "users"]) {
    await db.execute(sql.raw(`vacuum analyze ${table}`));
  }
  return true;
}
