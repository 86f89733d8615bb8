import { anonymousActor } from "@/lib/activity";
import { requestPasswordReset } from "@/lib/auth/passwords-flow";
import { parseJsonBody } from "@/lib/http/body";
import { publicRoute } from "@/lib/doors/manage/route";
import { emailField, z } from "@/lib/validation";

const schema = z.object({ email: emailField });

export const POST = publicRoute(async ({ req, ip }) => {
  const { email } = await parseJsonBody(req, schema);
  return requestPasswordReset(anonymousActor(ip), { email });
});
