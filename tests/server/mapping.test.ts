import { describe, expect, it } from "vitest";
import { healthFor, portalStatus } from "@/lib/servers/service";

describe("Hetzner status → portal status and health", () => {
  it("maps the documented Hetzner statuses", () => {
    expect(portalStatus("running")).toBe("online");
    expect(portalStatus("off")).toBe("off");
    expect(portalStatus("starting")).toBe("starting");
    expect(portalStatus("stopping")).toBe("stopping");
    expect(portalStatus("initializing")).toBe("initializing");
    expect(portalStatus("migrating")).toBe("unknown");
    expect(portalStatus("rebuilding")).toBe("unknown");
  });

  it("shows stopping/starting as rebooting while a reboot runs", () => {
    expect(portalStatus("stopping", true)).toBe("rebooting");
    expect(portalStatus("starting", true)).toBe("rebooting");
    expect(portalStatus("running", true)).toBe("online");
  });

  it("derives health from the power state", () => {
    expect(healthFor("online")).toBe("healthy");
    expect(healthFor("off")).toBe("unhealthy");
    expect(healthFor("rebooting")).toBe("degraded");
    expect(healthFor("unknown")).toBe("unknown");
  });
});
