import { cache } from "react";
import { describeMe } from "./me";
import { currentSession } from "./current";
import { redirectToLogin } from "./login-redirect";

export type Me = Awaited<ReturnType<typeof describeMe>>;

/** For pages: the signed-in user's view, or a redirect to the login page. Memoised per request (React `cache`). */
export const requireMe = cache(async (): Promise<Me> => {
  const session = await currentSession();
  if (!session) return redirectToLogin();
  return describeMe(session.principal, session.instance);
});
