import { closeDb, getDbHandle } from "./client";

const handle = await getDbHandle();
console.log(`Migrationen angewendet (${handle.kind === "pglite" ? "PGlite" : "PostgreSQL"}).`);
await closeDb();
