import { principalActor } from "@/lib/activity";
import { changePassword } from "@/lib/auth/passwords-flow";
import { parseJsonBody } from "@/lib/http/body";
import { sessionRoute } from "@/lib/doors/manage/route";
import { confirmedPassword, passwordField, passwordMismatch, passwordsMatch, z } from "@/lib/validation";

const schema = z
  .object({
    current_password: passwordField,
    ...confirmedPassword,
    /** Also end the personal access tokens (API keys)? The answer says how many remain. */
    revoke_api_keys: z.boolean({ error: "revoke_api_keys muss true oder false sein." }).optional().default(false),
  })
  .refine(passwordsMatch, passwordMismatch);

export const PUT = sessionRoute(async ({ req, auth, ip }) => {
  const input = await parseJsonBody(req, schema);
  return changePassword(principalActor(auth.principal, ip), input);
});
