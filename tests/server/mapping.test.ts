import { describe, expect, it } from "vitest";
import { SERVER_STATUS_LABELS } from "@/lib/servers/labels";
import { healthFor, portalStatus } from "@/lib/servers/service";
import { healthFrom } from "@/lib/servers/health";

describe("Hetzner status → portal status and health", () => {
  it("maps the documented Hetzner statuses", () => {
    expect(portalStatus("running")).toBe("online");
    expect(portalStatus("off")).toBe("off");
    expect(portalStatus("starting")).toBe("starting");
    expect(portalStatus("stopping")).toBe("stopping");
    expect(portalStatus("initializing")).toBe("initializing");
    // Hetzner's other documented states are shown as they are, not as "unknown".
    expect(portalStatus("migrating")).toBe("migrating");
    expect(portalStatus("rebuilding")).toBe("rebuilding");
    expect(portalStatus("deleting")).toBe("deleting");
    expect(portalStatus("unknown")).toBe("unknown");
    expect(SERVER_STATUS_LABELS.migrating).toBe("Wird migriert");
    expect(SERVER_STATUS_LABELS.rebuilding).toBe("Wird neu aufgesetzt");
    expect(SERVER_STATUS_LABELS.deleting).toBe("Wird gelöscht");
    expect(healthFor("migrating")).toBe("degraded");
  });

  it("shows stopping/starting as rebooting while a reboot runs", () => {
    expect(portalStatus("stopping", true)).toBe("rebooting");
    expect(portalStatus("starting", true)).toBe("rebooting");
    expect(portalStatus("running", true)).toBe("online");
  });

  it("derives health from the power state", () => {
    expect(healthFor("online")).toBe("healthy");
    expect(healthFor("off")).toBe("off"); // switched off on purpose: "Aus", not a problem
    expect(healthFor("rebooting")).toBe("degraded");
    expect(healthFor("unknown")).toBe("unknown");
  });
});

describe("health from the latest probes (lib/servers/health.ts)", () => {
  it("combines a running server with its portal and MeshCentral probes", () => {
    expect(healthFrom("online", { portal: true, meshcentral: true })).toBe("healthy");
    expect(healthFrom("online", { portal: true, meshcentral: false })).toBe("degraded");
    expect(healthFrom("online", { portal: false, meshcentral: false })).toBe("unhealthy");
    expect(healthFrom("online", { portal: false, meshcentral: null })).toBe("unhealthy");
    expect(healthFrom("online", { portal: null, meshcentral: null })).toBe("healthy");
    // Off on purpose wins over old failed probes.
    expect(healthFrom("off", { portal: false, meshcentral: false })).toBe("off");
  });
});
