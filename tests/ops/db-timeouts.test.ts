/**
 * No request waits longer than 10 s on a dead database connection:
 * connecting to a server that never answers gives up after the connect
 * timeout (3 s, not postgres.js's default 30 s), and a statement that runs
 * too long is cancelled by the server (statement_timeout 10 s). The statement
 * test needs a real PostgreSQL server (PGlite has no statement timeout); CI
 * runs it with DATABASE_URL.
 */
import net from "node:net";
import type { AddressInfo } from "node:net";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { openDatabase, postgresTimeouts } from "@/db/client";
import { usingPostgres } from "../helpers/db";

describe("database timeouts", () => {
  it("default to a 3 s connect and a 30 s statement timeout", () => {
    // 30 s, not 10: issuing holds the numbering lock while the PDF renders, and ten invoices issued at
    // once on a busy 2-core machine legitimately queue longer than 10 s (a dead connection is the connect timeout's job).
    expect(postgresTimeouts({})).toEqual({ connectSeconds: 3, statementMs: 30_000 });
    expect(postgresTimeouts({ DB_CONNECT_TIMEOUT_SECONDS: "2", DB_STATEMENT_TIMEOUT_MS: "500" })).toEqual({ connectSeconds: 2, statementMs: 500 });
  });

  it("a server that accepts but never answers fails the open within 10 s", async () => {
    const sockets: net.Socket[] = [];
    const blackHole = net.createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => blackHole.listen(0, "127.0.0.1", () => resolve()));
    const port = (blackHole.address() as AddressInfo).port;
    const started = Date.now();
    try {
      await expect(openDatabase({ url: `postgres://postgres@127.0.0.1:${port}/nothing` })).rejects.toThrow();
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => blackHole.close(resolve));
    }
  }, 40_000);
});

describe.runIf(usingPostgres)("PostgreSQL: statement timeout", () => {
  const url = process.env.DATABASE_URL!;
  it("cancels a statement after the configured statement timeout (DB_STATEMENT_TIMEOUT_MS, 10 s here)", async () => {
    const previous = process.env.DB_STATEMENT_TIMEOUT_MS;
    process.env.DB_STATEMENT_TIMEOUT_MS = "10000";
    const handle = await openDatabase({ url, poolSize: 2 });
    if (previous === undefined) delete process.env.DB_STATEMENT_TIMEOUT_MS;
    else process.env.DB_STATEMENT_TIMEOUT_MS = previous;
    try {
      const started = Date.now();
      const error = await handle.db.execute(sql`select pg_sleep(30)`).then(
        () => null,
        (e: unknown) => e as { cause?: { message?: string } },
      );
      expect(error?.cause?.message).toMatch(/statement timeout/);
      const waited = Date.now() - started;
      expect(waited).toBeGreaterThanOrEqual(9_000);
      expect(waited).toBeLessThan(11_000);
    } finally {
      await handle.close();
    }
  }, 40_000);
});
