import pino from "pino";
import { describe, expect, it } from "vitest";
import { LOG_SERIALIZERS } from "@/lib/observability/logger";

describe("error logging", () => {
  it("logs a failed statement by name and code, never its parameters", () => {
    const lines: string[] = [];
    const log = pino({ serializers: LOG_SERIALIZERS }, { write: (line: string) => void lines.push(line) });
    const tokenHash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    const driverError = Object.assign(new Error("connection terminated"), { code: "57P01" });
    const failed = Object.assign(new Error(`Failed query: select * from sessions where token_hash = $1\\nparams: ${tokenHash}`), {
      query: "select * from sessions where token_hash = $1",
      params: [tokenHash],
      cause: driverError,
    });
    log.error({ err: failed }, "job failed");
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain(tokenHash);
    expect(lines[0]).toContain("57P01");
    // An ordinary error is logged as it is.
    log.error({ err: new Error("Hetzner antwortet nicht") }, "sync failed");
    expect(lines[1]).toContain("Hetzner antwortet nicht");
  });
});
