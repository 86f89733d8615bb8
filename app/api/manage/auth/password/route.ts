import { changePassword } from "@/lib/auth/passwords-flow";
import { parseJsonBody } from "@/lib/http/body";
import { sessionRoute } from "@/lib/http/manage-route";
import { confirmedPassword, passwordField, passwordMismatch, passwordsMatch, z } from "@/lib/validation";

const schema = z
  .object({ current_password: passwordField, ...confirmedPassword })
  .refine(passwordsMatch, passwordMismatch);

export const PUT = sessionRoute(async ({ req, auth, ip }) => {
  const input = await parseJsonBody(req, schema);
  await changePassword(auth.principal, input, ip);
  return { message: "Passwort geändert. Andere Sitzungen wurden beendet." };
});
