import { principalActor } from "@/lib/activity";
import type { RegistrationResponseJSON } from "@simplewebauthn/server";
import { NextResponse } from "next/server";
import { listPasskeys, registerPasskey } from "@/lib/auth/passkeys";
import { passkeyRegistrationBody } from "@/lib/auth/schemas";
import { parseJsonBody } from "@/lib/http/body";
import { V1Error } from "@/lib/doors/v1/errors";
import { v1Route } from "@/lib/doors/v1/route";

export const GET = v1Route({ allowBeforeSecondFactor: true }, async ({ auth }) => listPasskeys(auth.principal.userId));

/** Registration step 2 (step 1: POST /passkeys/options). */
export const POST = v1Route({ recentAuthentication: "account", allowBeforeSecondFactor: true }, async ({ req, auth, ip }) => {
  if (auth.via === "pat") throw new V1Error(403, "forbidden", "Passkeys können nicht mit einem API-Schlüssel hinzugefügt werden.");
  const input = await parseJsonBody(req, passkeyRegistrationBody);
  const created = await registerPasskey(principalActor(auth.principal, ip), {
    ...input,
    response: input.response as unknown as RegistrationResponseJSON,
    userAgent: req.headers.get("user-agent"),
  });
  return NextResponse.json(created, { status: 201 });
});
