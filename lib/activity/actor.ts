/**
 * Who did something. Every command takes an `Actor`, and the activity log
 * records it the same way whichever door (manage API, API v1, staff UI, job)
 * the command came through.
 *
 * - `user`: a signed-in account; when the account is MSP staff acting on a
 *   customer's instance, the entry is marked `staff` so the customer sees
 *   "MSP" instead of mistaking the name for one of their own users.
 * - `anonymous`: before authentication (failed login, reset request); the
 *   account it concerns may be known, but nobody has proven to be it.
 * - `system`: background work (billing run, server sync, health probe,
 *   housekeeping). Never carries a customer's name.
 */
export type ActorPrincipal = { userId: string; name: string; staff: boolean };

export type UserActor = { kind: "user"; principal: ActorPrincipal; ip: string | null };
export type AnonymousActor = { kind: "anonymous"; ip: string | null; userId?: string | null; name?: string | null };
export type SystemActor = { kind: "system"; name: string };
export type Actor = UserActor | AnonymousActor | SystemActor;

export type ActorType = "user" | "staff" | "anonymous" | "system";

export function userActor(principal: ActorPrincipal, ip: string | null | undefined): UserActor {
  return { kind: "user", principal: { userId: principal.userId, name: principal.name, staff: principal.staff }, ip: ip ?? null };
}

/**
 * A signed-in caller with everything its login knows (session, token family,
 * roles …), for commands that act on the login itself (the auth commands end
 * "this" session, renew "this" sudo mode). It is a `UserActor`, so it goes to
 * `recordActivity` as it is: the log reads only id, name, staff and address.
 */
export type PrincipalActor<P extends ActorPrincipal = ActorPrincipal> = UserActor & { principal: P };

export function principalActor<P extends ActorPrincipal>(principal: P, ip: string | null | undefined): PrincipalActor<P> {
  return { kind: "user", principal, ip: ip ?? null };
}

export function anonymousActor(ip: string | null | undefined, account?: { id: string; name: string } | null): AnonymousActor {
  return { kind: "anonymous", ip: ip ?? null, userId: account?.id ?? null, name: account?.name ?? null };
}

/** The German names of background processes as they appear in the activity log. */
export const SYSTEM_ACTORS = {
  billing: "System (Abrechnung)",
  dunning: "System (Mahnwesen)",
  serverSync: "System (Server-Abgleich)",
  health: "System (Erreichbarkeitsprüfung)",
  mail: "System (Mailversand)",
  housekeeping: "System (Aufräumen)",
  provisioning: "System (Bereitstellung)",
  webhooks: "System (Webhooks)",
} as const;

export function systemActor(process: keyof typeof SYSTEM_ACTORS): SystemActor {
  return { kind: "system", name: SYSTEM_ACTORS[process] };
}

/** The columns of the activity log that describe the actor. */
export function actorColumns(actor: Actor): { userId: string | null; actorName: string | null; actorType: ActorType; ip: string | null } {
  switch (actor.kind) {
    case "user":
      return { userId: actor.principal.userId, actorName: actor.principal.name, actorType: actor.principal.staff ? "staff" : "user", ip: actor.ip };
    case "anonymous":
      return { userId: actor.userId ?? null, actorName: actor.name ?? null, actorType: "anonymous", ip: actor.ip };
    case "system":
      return { userId: null, actorName: actor.name, actorType: "system", ip: null };
  }
}

/** The user id of an actor, for `created_by` columns. */
export function actorUserId(actor: Actor): string | null {
  return actor.kind === "user" ? actor.principal.userId : null;
}
