import { principalActor } from "@/lib/activity";
import { revokeApiKey } from "@/lib/auth/api-keys";
import { uuidParam } from "@/lib/http/params";
import { v1Route } from "@/lib/doors/v1/route";

export const DELETE = v1Route({ recentAuthentication: "account" }, async ({ auth, params, ip }) => {
  const id = uuidParam(params, "id", "API-Schlüssel nicht gefunden.");
  const key = await revokeApiKey(principalActor(auth.principal, ip), { id });
  return { message: `Der API-Schlüssel „${key.name}“ wurde widerrufen.`, api_key: key };
});
