import { principalActor } from "@/lib/activity";
import { NextResponse } from "next/server";
import { parseJsonBody } from "@/lib/http/body";
import { createApiKey, listApiKeys } from "@/lib/auth/api-keys";
import { v1Route } from "@/lib/doors/v1/route";
import { createApiKeyBody } from "@/lib/doors/v1/schemas";

export const GET = v1Route({}, async ({ auth }) => ({ api_keys: await listApiKeys(auth.principal.userId) }));

export const POST = v1Route({ recentAuthentication: "account" }, async ({ req, auth, ip }) => {
  const input = await parseJsonBody(req, createApiKeyBody);
  const created = await createApiKey(principalActor(auth.principal, ip), {
    name: input.name,
    scope: input.scope,
    expires_at: input.expires_at ? new Date(input.expires_at) : null,
  });
  return NextResponse.json(
    { ...created, message: "Der API-Schlüssel wurde erstellt. Speichern Sie den Token jetzt – er wird nur dieses eine Mal angezeigt." },
    { status: 201 },
  );
});
