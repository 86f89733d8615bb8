import { serverActionRoute } from "@/lib/servers/routes";

export const POST = serverActionRoute("power-on");
