import { anonymousActor } from "@/lib/activity";
import { resetPassword } from "@/lib/auth/passwords-flow";
import { parseJsonBody } from "@/lib/http/body";
import { publicRoute } from "@/lib/doors/manage/route";
import { confirmedPassword, emailField, passwordMismatch, passwordsMatch, z } from "@/lib/validation";

const schema = z
  .object({
    email: emailField,
    token: z.string({ error: "Der Token fehlt." }).min(1, { error: "Der Token fehlt." }).max(200, { error: "Der Token ist ungültig." }),
    ...confirmedPassword,
  })
  .refine(passwordsMatch, passwordMismatch);

export const POST = publicRoute(async ({ req, ip }) => {
  const input = await parseJsonBody(req, schema);
  return resetPassword(anonymousActor(ip), input);
});
