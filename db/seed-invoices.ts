import { addDays, todayIsoDate } from "@/lib/time";
import { and, asc, count, eq, inArray, isNotNull, isNull } from "drizzle-orm";
import type { Db } from "./client";
import { instanceBillingProfiles, instances, invoiceItems, invoicePayments, invoices, type InvoiceRecipientSnapshot } from "./schema";
import { recipientFromProfile, vatRateUnder } from "@/lib/invoices/billing-profile";
import { calculateInvoice, type InvoiceItemInput } from "@/lib/invoices/calc";
import { currentIssuer } from "@/lib/invoices/issuer-config";
import { allocateInvoiceNumber } from "@/lib/invoices/numbering";
import { archivedPdf } from "@/lib/invoices/pdf-archive";
import { DUNNING_STAGE_CUSTOMERS, seededInvoiceDate } from "./seed-dunning";

const MONTHS = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"];

/**
 * Billing profiles of the demo customers: a domestic company (Factur-X), a municipally owned
 * company addressed by Leitweg-ID (XRechnung UBL) and an Austrian company billed under reverse
 * charge. The demo invoices take their recipient from these, as real drafts do.
 */
const PROFILES: Record<string, Omit<typeof instanceBillingProfiles.$inferInsert, "instanceId">> = {
  acme: {
    legalName: "Acme Corp",
    contactName: "Thomas Becker",
    street: "Industriestraße 12",
    postCode: "70565",
    city: "Stuttgart",
    countryCode: "DE",
    customerNumber: "K-1001",
    invoiceEmails: ["buchhaltung@firma.de"],
    einvoiceFormat: "facturx",
    vatTreatment: "domestic",
  },
  bergmann: {
    legalName: "Bergmann Logistik GmbH",
    contactName: "Claudia Bergmann",
    street: "Hafenweg 3",
    additionalLine: "Rechnungseingang",
    postCode: "28197",
    city: "Bremen",
    countryCode: "DE",
    vatId: "DE811234567",
    leitwegId: "04011000-1234512345-06",
    customerNumber: "K-1002",
    invoiceEmails: ["rechnungseingang@bergmann-logistik.de"],
    einvoiceFormat: "xrechnung_ubl",
    vatTreatment: "domestic",
  },
  nordlicht: {
    legalName: "Nordlicht Design GmbH",
    contactName: "Jan Petersen",
    street: "Mariahilfer Straße 45",
    postCode: "1060",
    city: "Wien",
    countryCode: "AT",
    vatId: "ATU12345678",
    customerNumber: "K-1003",
    invoiceEmails: ["office@nordlicht-design.at"],
    einvoiceFormat: "facturx",
    vatTreatment: "eu_reverse_charge",
  },
};

/** The customers in each dunning stage (seeded only with the option `dunningStages`): domestic companies, Factur-X. */
const STAGE_PROFILES: Record<string, Omit<typeof instanceBillingProfiles.$inferInsert, "instanceId">> = Object.fromEntries(
  DUNNING_STAGE_CUSTOMERS.map((c, i) => [
    c.name,
    {
      legalName: c.companyName,
      contactName: c.user.name,
      street: `Marktplatz ${i + 2}`,
      postCode: `2${i}095`,
      city: ["Hamburg", "Kiel", "Lüneburg", "Lübeck"][i]!,
      countryCode: "DE",
      customerNumber: `K-20${i + 1}0`,
      invoiceEmails: [c.user.email],
      einvoiceFormat: "facturx" as const,
      vatTreatment: "domestic" as const,
    },
  ]),
);
Object.assign(PROFILES, STAGE_PROFILES);

/**
 * Monthly licences at the tier price. Tier prices are net prices (plus VAT where the
 * customer's VAT treatment says so), exactly as the billing run charges them.
 */
const LICENCE = {
  acme: { net: 4900, tier: "Standard" },
  bergmann: { net: 9900, tier: "Professional" },
  nordlicht: { net: 2900, tier: "Starter" },
  ...Object.fromEntries(DUNNING_STAGE_CUSTOMERS.map((c) => [c.name, c.tier === "starter" ? { net: 2900, tier: "Starter" } : { net: 4900, tier: "Standard" }])),
} as Record<string, { net: number; tier: string }>;

type SeedInvoice = {
  instance: keyof typeof PROFILES;
  title: string;
  /** null = draft */
  invoiceDate: string | null;
  periodStart: string;
  periodEnd: string;
  items: InvoiceItemInput[];
  payments: { daysAfterInvoice: number; amountCents: number | "full" }[];
};

function monthStart(iso: string, offset: number) {
  const [y, m] = iso.split("-").map(Number) as [number, number];
  const date = new Date(Date.UTC(y, m - 1 + offset, 1));
  return date.toISOString().slice(0, 10);
}

function monthEnd(start: string) {
  return addDays(monthStart(start, 1), -1);
}

function monthLabel(start: string) {
  return `${MONTHS[Number(start.slice(5, 7)) - 1]} ${start.slice(0, 4)}`;
}

function licence(instance: keyof typeof LICENCE, periodStart: string, invoiceDate: string | null, paid: boolean): SeedInvoice {
  return {
    instance,
    title: `Monatliche Lizenz ${monthLabel(periodStart)}`,
    invoiceDate,
    periodStart,
    periodEnd: monthEnd(periodStart),
    items: [
      {
        description: `Manage-Portal Lizenz „${LICENCE[instance].tier}“ – ${monthLabel(periodStart)}`,
        quantity: 1,
        unit: "Monat",
        unit_price_cents: LICENCE[instance].net,
        vat_rate: 1900,
      },
    ],
    payments: paid ? [{ daysAfterInvoice: 4, amountCents: "full" }] : [],
  };
}

/** Demo invoices relative to today, so "open" and "overdue" stay true whenever the seed runs. */
function demoInvoices(today: string): SeedInvoice[] {
  const thisMonth = monthStart(today, 0);
  const list: SeedInvoice[] = [];
  // acme: five paid licences, last month's licence overdue, a fresh one open,
  // a partially paid service invoice and a draft nobody but staff can see.
  for (let offset = -6; offset <= -2; offset++) list.push(licence("acme", monthStart(today, offset), monthStart(today, offset), true));
  list.push(licence("acme", monthStart(today, -1), monthStart(today, -1), false));
  list.push(licence("acme", thisMonth, addDays(today, -2), false));
  list.push({
    instance: "acme",
    title: "Einrichtung Custom-Domain und Remote-Support",
    invoiceDate: addDays(today, -6),
    periodStart: addDays(today, -20),
    periodEnd: addDays(today, -7),
    items: [
      { description: "Einrichtung Custom-Domain portal.acme.de inkl. Zertifikat", quantity: 1, unit: "Pauschale", unit_price_cents: 14900, vat_rate: 1900 },
      { description: "Remote-Support (Ticket #4711, #4712)", quantity: "1,5", unit: "Std.", unit_price_cents: 9500, vat_rate: 1900 },
      { description: "Fachbuch „IT-Sicherheit für KMU“", quantity: 3, unit: "Stück", unit_price_cents: 3333, vat_rate: 700 },
    ],
    payments: [{ daysAfterInvoice: 3, amountCents: 20000 }],
  });
  list.push({ ...licence("acme", monthStart(today, 1), null, false) });
  // bergmann: three paid, one open.
  for (let offset = -3; offset <= -1; offset++) list.push(licence("bergmann", monthStart(today, offset), monthStart(today, offset), true));
  list.push(licence("bergmann", thisMonth, addDays(today, -1), false));
  // nordlicht (suspended for unpaid invoices): two overdue.
  list.push(licence("nordlicht", monthStart(today, -3), addDays(today, -75), false));
  list.push(licence("nordlicht", monthStart(today, -2), addDays(today, -45), false));
  // The customers in each dunning stage (only when seeded): one overdue licence each, as old as its stage; the month before paid.
  for (const c of DUNNING_STAGE_CUSTOMERS) {
    const invoiceDate = seededInvoiceDate(c.stage, today);
    list.push(licence(c.name, monthStart(invoiceDate, -1), monthStart(invoiceDate, -1), true));
    list.push(licence(c.name, monthStart(invoiceDate, 0), invoiceDate, false));
  }
  return list;
}

/**
 * Idempotent: writes missing billing profiles, and the demo invoices only into an empty invoices table. Issued demo
 * invoices get their numbers from the same gap-free counter as real ones. With `archive` (the demo and
 * `npm run seed`) their files are rendered and archived right away, as issuing does; without it (tests,
 * to keep each file's seed fast) they are archived once on first download.
 */
export async function seedInvoices(db: Db, today = todayIsoDate(), options: { archive?: boolean } = {}) {
  const rows = await db.select({ id: instances.id, name: instances.name }).from(instances).where(inArray(instances.name, Object.keys(PROFILES)));
  const instanceIds = new Map(rows.map((r) => [r.name, r.id]));
  for (const [name, profile] of Object.entries(PROFILES)) {
    const instanceId = instanceIds.get(name);
    if (instanceId) await db.insert(instanceBillingProfiles).values({ ...profile, instanceId }).onConflictDoNothing();
  }
  const [{ existing }] = await db.select({ existing: count() }).from(invoices);
  if (existing > 0) {
    if (options.archive) await archiveSeeded(db);
    return;
  }
  const issuer = currentIssuer();

  const ordered = demoInvoices(today)
    .filter((inv) => instanceIds.has(inv.instance))
    .sort((a, b) => (a.invoiceDate ?? "9999").localeCompare(b.invoiceDate ?? "9999"));

  await db.transaction(async (tx) => {
    const recipients = new Map<string, InvoiceRecipientSnapshot>();
    for (const [name, id] of instanceIds) recipients.set(name, await recipientFromProfile(tx, id));
    for (const inv of ordered) {
      const recipient = recipients.get(inv.instance)!;
      const calc = calculateInvoice(inv.items.map((item) => ({ ...item, vat_rate: vatRateUnder(recipient.vat_treatment, item.vat_rate) })));
      const invoiceNumber = inv.invoiceDate ? await allocateInvoiceNumber(tx, Number(inv.invoiceDate.slice(0, 4))) : null;
      const [row] = await tx
        .insert(invoices)
        .values({
          instanceId: instanceIds.get(inv.instance)!,
          invoiceNumber,
          title: inv.title,
          invoiceDate: inv.invoiceDate,
          dueDate: inv.invoiceDate ? addDays(inv.invoiceDate, 14) : null,
          paymentTermsDays: 14,
          servicePeriodStart: inv.periodStart,
          servicePeriodEnd: inv.periodEnd,
          recipient,
          reverseCharge: recipient.vat_treatment === "eu_reverse_charge",
          netCents: calc.totals.net_cents,
          vatCents: calc.totals.vat_cents,
          grossCents: calc.totals.gross_cents,
          createdAt: new Date(`${inv.invoiceDate ?? today}T08:00:00Z`),
        })
        .returning({ id: invoices.id });
      await tx.insert(invoiceItems).values(
        calc.lines.map((line) => ({
          invoiceId: row!.id,
          position: line.position,
          description: line.description,
          quantityMilli: line.quantity_milli,
          unit: line.unit,
          unitPriceCents: line.unit_price_cents,
          vatRate: line.vat_rate,
          netCents: line.net_cents,
        })),
      );
      if (inv.invoiceDate) {
        // Issued only after its items are in (the database refuses items on issued invoices).
        await tx
          .update(invoices)
          .set({ issuedAt: new Date(`${inv.invoiceDate}T09:00:00Z`), issuer: issuer as unknown as Record<string, unknown> })
          .where(eq(invoices.id, row!.id));
      }
      for (const payment of inv.payments) {
        await tx.insert(invoicePayments).values({
          invoiceId: row!.id,
          paymentDate: addDays(inv.invoiceDate!, payment.daysAfterInvoice),
          amountCents: payment.amountCents === "full" ? calc.totals.gross_cents : payment.amountCents,
          method: "bank_transfer",
          reference: invoiceNumber,
        });
      }
    }
  });
  if (options.archive) await archiveSeeded(db);
}

/** For tests: the seeded invoice of an instance by title. */
export async function seededInvoiceId(db: Db, title: string) {
  const [row] = await db.select({ id: invoices.id }).from(invoices).where(eq(invoices.title, title));
  return row?.id ?? null;
}

/** Archives every issued invoice that has no files yet (rendered once, from its snapshots). */
async function archiveSeeded(db: Db) {
  const rows = await db.select().from(invoices).where(and(isNotNull(invoices.issuedAt), isNull(invoices.pdf))).orderBy(asc(invoices.id));
  for (const row of rows) await archivedPdf(row, db);
}
