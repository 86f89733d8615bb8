import type { ProbeTarget } from "@/lib/servers/health";

/** One probe of one target: what the alerts and their mails read, written by probe.ts. */
export type ProbeResult = { target: ProbeTarget; url: string; ok: boolean; statusCode: number | null; latencyMs: number; error: string | null };
