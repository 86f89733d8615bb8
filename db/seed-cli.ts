import { closeDb, getDbHandle } from "./client";
import { DEMO_LOGINS, DEMO_PASSWORD, seedDemoData } from "./seed";

export function printDemoLogins(appUrl = process.env.APP_URL ?? "http://localhost:3000") {
  console.log(`\nDemo-Zugänge für ${appUrl} (Passwort jeweils: ${DEMO_PASSWORD})`);
  for (const login of DEMO_LOGINS) console.log(`  ${login.email.padEnd(28)} ${login.role}`);
  console.log("");
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const handle = await getDbHandle();
  await seedDemoData(handle.db, { mspDomain: process.env.MSP_DOMAIN, archiveInvoices: true, dunningStages: true });
  console.log(`Demo-Daten angelegt (${handle.kind === "pglite" ? "eingebettete PGlite-Datenbank" : "PostgreSQL"}).`);
  printDemoLogins();
  await closeDb();
}
