/**
 * Server metrics on the server page: from Hetzner's metrics endpoint (here
 * the simulator), CPU scaled to the whole server, every range within
 * Hetzner's limits (30 days, 500 samples per series), each series with its
 * text alternative (current, average, peak), for the customer and for staff.
 */
import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { POST as login } from "@/app/api/manage/auth/login/route";
import { GET as staffMetrics } from "@/app/api/manage/admin/instances/[id]/server/metrics/route";
import { GET as metrics } from "@/app/api/manage/server/metrics/route";
import { instances } from "@/db/schema";
import { DEMO_PASSWORD } from "@/db/seed";
import { createHetznerClient } from "@/lib/hetzner/client";
import { DEMO_SERVERS } from "@/lib/hetzner/simulator";
import { alignMetrics, serverMetricsResponse, summarize } from "@/lib/servers/metrics";
import { useTestDatabase } from "../helpers/db";
import { useHetznerSimulator } from "../helpers/hetzner";
import { call } from "../helpers/http";

const database = useTestDatabase();
const simulator = useHetznerSimulator({ servers: [...DEMO_SERVERS] }, 3000);
let ip = 0;

beforeEach(() => simulator.sim().setFault(null));

async function loginAs(email: string) {
  const res = await call(login, "POST", "/api/manage/auth/login", { body: { email, password: DEMO_PASSWORD }, ip: `198.51.100.${++ip}` });
  return res.json.token as string;
}

describe("GET /api/manage/server/metrics", () => {
  it("answers the last 24 hours: CPU in percent of the whole server, all series on one time axis, with a text alternative", async () => {
    const token = await loginAs("admin@firma.de");
    const res = await call(metrics, "GET", "/api/manage/server/metrics?range=24h", { token });
    expect(res.status).toBe(200);
    const body = serverMetricsResponse.parse(res.json);
    expect(body).toMatchObject({ range: "24h", cores: 2 });
    expect(body.charts.map((c) => c.key)).toEqual(["cpu", "disk_iops", "disk_bandwidth", "network_pps", "network_bandwidth"]);
    expect(body.timestamps.length).toBeGreaterThan(400);
    expect(body.timestamps.length).toBeLessThanOrEqual(500);
    for (const values of Object.values(body.series)) expect(values).toHaveLength(body.timestamps.length);
    const cpu = body.series.cpu.filter((v): v is number => v !== null);
    expect(Math.max(...cpu)).toBeLessThanOrEqual(100);
    expect(Math.min(...cpu)).toBeGreaterThanOrEqual(0);
    expect(body.summary.cpu.current).toBeCloseTo(cpu[cpu.length - 1], 2);
    expect(body.summary.cpu.peak).toBeCloseTo(Math.max(...cpu), 2);

    // Hetzner reports percent per vCPU: the raw value of the CX22 is twice the portal's.
    const raw = await createHetznerClient({ baseUrl: simulator.sim().url, token: "t" }).getMetrics(1001, {
      types: ["cpu"],
      start: new Date(body.timestamps[0] * 1000),
      end: new Date(body.timestamps[0] * 1000 + 1000),
      step: body.step_seconds,
    });
    expect(raw.series.cpu[0].v! / 2).toBeCloseTo(body.series.cpu[0]!, 1);
  });

  it("keeps every range within Hetzner's limits (30 days, 500 samples)", async () => {
    const token = await loginAs("admin@firma.de");
    const expected = { "1h": [55, 61], "7d": [480, 500], "30d": [480, 500] } as const;
    for (const [range, [min, max]] of Object.entries(expected)) {
      const body = (await call(metrics, "GET", `/api/manage/server/metrics?range=${range}`, { token })).json;
      expect(body.timestamps.length, range).toBeGreaterThanOrEqual(min);
      expect(body.timestamps.length, range).toBeLessThanOrEqual(max);
    }
    const month = (await call(metrics, "GET", "/api/manage/server/metrics?range=30d", { token })).json;
    expect(month.timestamps[month.timestamps.length - 1] - month.timestamps[0]).toBeLessThanOrEqual(30 * 86_400);
  });

  it("a switched-off server reports zero load", async () => {
    const token = await loginAs("it@bergmann-logistik.de");
    const body = (await call(metrics, "GET", "/api/manage/server/metrics?range=1h", { token })).json;
    expect(body.summary.cpu).toEqual({ current: 0, average: 0, peak: 0 });
  });

  it("422 for an unknown range, 500 with a German message when Hetzner fails", async () => {
    const token = await loginAs("admin@firma.de");
    const bad = await call(metrics, "GET", "/api/manage/server/metrics?range=2y", { token });
    expect(bad.status).toBe(422);
    expect(bad.json.errors.range[0]).toBe("Zeitraum muss 1h, 24h, 7d oder 30d sein.");
    simulator.sim().setFault("maintenance");
    const down = await call(metrics, "GET", "/api/manage/server/metrics?range=1h", { token });
    expect(down.status).toBe(500);
    expect(down.json.message).toBe("Die Messwerte konnten nicht von Hetzner abgerufen werden: Hetzner führt gerade Wartungsarbeiten durch. Bitte später erneut versuchen.");
  });

  it("staff read the same metrics for an instance; customers cannot use the staff endpoint", async () => {
    const [acme] = await database.db().select().from(instances).where(eq(instances.name, "acme"));
    const staff = await loginAs("support@myit.center");
    const res = await call(staffMetrics, "GET", `/api/manage/admin/instances/${acme.id}/server/metrics?range=1h`, { token: staff, params: { id: String(acme.id) } });
    expect(res.status).toBe(200);
    expect(serverMetricsResponse.parse(res.json).range).toBe("1h");
    const customer = await loginAs("admin@firma.de");
    const refused = await call(staffMetrics, "GET", `/api/manage/admin/instances/${acme.id}/server/metrics`, { token: customer, params: { id: String(acme.id) } });
    expect(refused.status).toBe(403);
  });
});

describe("aligning Hetzner's series", () => {
  it("puts every series on the union of timestamps, leaves gaps as null and divides CPU by the cores", () => {
    const aligned = alignMetrics(
      {
        start: new Date(0),
        end: new Date(180_000),
        step: 60,
        series: {
          cpu: [
            { t: 60, v: 150 },
            { t: 120, v: 50 },
          ],
          "disk.0.iops.read": [
            { t: 120, v: 3 },
            { t: 180, v: null },
          ],
        },
      },
      2,
    );
    expect(aligned.timestamps).toEqual([60, 120, 180]);
    expect(aligned.series.cpu).toEqual([75, 25, null]);
    expect(aligned.series.disk_iops_read).toEqual([null, 3, null]);
    expect(aligned.series.network_pps_in).toEqual([null, null, null]);
    expect(aligned.summary.cpu).toEqual({ current: 25, average: 50, peak: 75 });
    expect(summarize([])).toEqual({ current: null, average: null, peak: null });
  });
});
