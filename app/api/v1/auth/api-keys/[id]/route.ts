import { NotFoundError } from "@/lib/errors";
import { revokeApiKey } from "@/lib/v1/api-keys";
import { v1Route } from "@/lib/v1/route";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const DELETE = v1Route({}, async ({ auth, params, ip }) => {
  const id = String(params.id ?? "");
  if (!UUID.test(id)) throw new NotFoundError("API-Schlüssel nicht gefunden.");
  const key = await revokeApiKey(auth.principal, id, ip);
  return { message: `Der API-Schlüssel „${key.name}“ wurde widerrufen.`, api_key: key };
});
