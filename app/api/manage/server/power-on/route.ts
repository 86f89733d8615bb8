import { serverActionRoute } from "@/lib/doors/manage/server";

export const POST = serverActionRoute("power-on");
