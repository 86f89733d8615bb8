import { anonymousActor } from "@/lib/activity";
import { passkeyLoginOptions } from "@/lib/auth/passkeys";
import { publicRoute } from "@/lib/doors/manage/route";

/** "Mit Passkey anmelden", step 1: options for navigator.credentials.get(); step 2 is the login form's sign-in. */
export const POST = publicRoute(async ({ ip }) => passkeyLoginOptions(anonymousActor(ip)));
