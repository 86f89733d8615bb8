import { redirect } from "next/navigation";
import { describeMe } from "./me";
import { currentPrincipal } from "./current";

export type Me = Awaited<ReturnType<typeof describeMe>>;

/** For pages: the signed-in user's view, or a redirect to the login page. */
export async function requireMe(): Promise<Me> {
  const principal = await currentPrincipal();
  if (!principal) redirect("/login?abgelaufen=1");
  return describeMe(principal);
}
