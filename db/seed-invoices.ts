import { addDays, todayIsoDate } from "@/lib/time";
import { count, eq, inArray } from "drizzle-orm";
import type { Db } from "./client";
import { instances, invoiceItems, invoicePayments, invoices, type InvoiceRecipientSnapshot } from "./schema";
import { calculateInvoice, type InvoiceItemInput } from "@/lib/invoices/calc";
import { currentIssuer } from "@/lib/invoices/issuer-config";
import { allocateInvoiceNumber } from "@/lib/invoices/numbering";

const MONTHS = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"];

const RECIPIENTS: Record<string, InvoiceRecipientSnapshot> = {
  acme: { company_name: "Acme Corp", name: "Thomas Becker", address_lines: ["Industriestraße 12", "70565 Stuttgart"], vat_id: null, customer_number: "K-1001" },
  bergmann: { company_name: "Bergmann Logistik GmbH", name: "Claudia Bergmann", address_lines: ["Hafenweg 3", "28197 Bremen"], vat_id: "DE811234567", customer_number: "K-1002" },
  nordlicht: { company_name: "Nordlicht Design UG (haftungsbeschränkt)", name: "Jan Petersen", address_lines: ["Strandstraße 8", "24103 Kiel"], vat_id: null, customer_number: "K-1003" },
};

/** Monthly licence net prices whose gross at 19 % is the tier price (49,00 / 99,00 / 29,00 €). */
const LICENCE = {
  acme: { net: 4118, tier: "Standard" },
  bergmann: { net: 8319, tier: "Professional" },
  nordlicht: { net: 2437, tier: "Starter" },
} as const;

type SeedInvoice = {
  instance: keyof typeof RECIPIENTS;
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
  return list;
}

/**
 * Idempotent: writes the demo invoices only into an empty invoices table. Issued demo
 * invoices get their numbers from the same gap-free counter as real ones; their PDFs are
 * rendered on first download (from the stored issuer snapshot) and then archived.
 */
export async function seedInvoices(db: Db, today = todayIsoDate()) {
  const [{ existing }] = await db.select({ existing: count() }).from(invoices);
  if (existing > 0) return;
  const rows = await db.select({ id: instances.id, name: instances.name }).from(instances).where(inArray(instances.name, Object.keys(RECIPIENTS)));
  const instanceIds = new Map(rows.map((r) => [r.name, r.id]));
  const issuer = currentIssuer();

  const ordered = demoInvoices(today)
    .filter((inv) => instanceIds.has(inv.instance))
    .sort((a, b) => (a.invoiceDate ?? "9999").localeCompare(b.invoiceDate ?? "9999"));

  await db.transaction(async (tx) => {
    for (const inv of ordered) {
      const calc = calculateInvoice(inv.items);
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
          recipient: RECIPIENTS[inv.instance]!,
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
}

/** For tests: the seeded invoice of an instance by title. */
export async function seededInvoiceId(db: Db, title: string) {
  const [row] = await db.select({ id: invoices.id }).from(invoices).where(eq(invoices.title, title));
  return row?.id ?? null;
}
