import { describeMe } from "@/lib/auth/me";
import { sessionRoute } from "@/lib/doors/manage/route";

export const GET = sessionRoute(async ({ auth }) => describeMe(auth.principal), { allowBeforeSecondFactor: true });
