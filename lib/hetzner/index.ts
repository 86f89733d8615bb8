export * from "@/lib/hetzner/client";
export * from "@/lib/hetzner/errors";
export * from "@/lib/hetzner/types";
export { createHetznerClientFromEnv, ensureDevSimulator, SIMULATOR_DEV_TOKEN, DEFAULT_SIMULATOR_PORT } from "@/lib/hetzner/env";
