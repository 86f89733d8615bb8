import { describe, expect, it } from "vitest";
import { getDbHandle, poolUsage } from "@/db/client";
import { setDbPoolProvider, metricsText } from "@/lib/observability/metrics";
import { usingPostgres, useTestDatabase } from "../helpers/db";

useTestDatabase({ seed: false });

describe(`database pool use in the metrics (${usingPostgres ? "PostgreSQL" : "PGlite"})`, () => {
  it("reports the pool size and the connections in use", async () => {
    const handle = await getDbHandle();
    const usage = await poolUsage(handle, 20);
    if (usingPostgres) {
      expect(usage.max).toBe(20);
      expect(usage.open).toBeGreaterThanOrEqual(1);
      // Two long queries on other connections show up as busy.
      const busy = Promise.all([handle.pgClient!`select pg_sleep(0.6)`, handle.pgClient!`select pg_sleep(0.6)`]);
      await new Promise((r) => setTimeout(r, 200));
      expect((await poolUsage(handle, 20)).inUse).toBeGreaterThanOrEqual(2);
      await busy;
    } else {
      expect(usage).toEqual({ max: 1, open: 1, inUse: 0 });
    }
    setDbPoolProvider(() => poolUsage(handle, 20));
    const { body } = await metricsText();
    expect(body).toMatch(/db_pool_max_connections (20|1)\b/);
    expect(body).toMatch(/db_pool_connections_in_use \d+/);
    setDbPoolProvider(undefined);
  });
});
