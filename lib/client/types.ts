import type { instanceStatus } from "@/lib/status";
import type { listActivity } from "@/lib/activity";

export type StatusResponse = Awaited<ReturnType<typeof instanceStatus>>;
export type ActivityResponse = Awaited<ReturnType<typeof listActivity>>;
