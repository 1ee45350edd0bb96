import type { Role } from './roles';
import { effectiveRoles } from './roles';

/**
 * Who made a request: an API token's or a JWT subject's name with the roles it was granted, or
 * `anonymous` when authentication is off (then it holds every role).
 */
export interface Principal {
  readonly kind: 'token' | 'user' | 'anonymous';
  readonly name: string;
  /** The granted roles with the implied ones. */
  readonly roles: ReadonlySet<Role>;
  /** The task names (queues) a worker may poll and report; absent: any. */
  readonly taskTypes?: ReadonlySet<string>;
}

/** The caller when authentication is off (`BATON_AUTH=none`, or loopback without tokens). */
export const ANONYMOUS: Principal = { kind: 'anonymous', name: 'anonymous', roles: effectiveRoles(['admin']) };

/** How a principal is recorded as the `actor` of the events it causes: `token:<name>`, `user:<name>` or `anonymous`. */
export function actorOf(principal: Principal): string {
  return principal.kind === 'anonymous' ? 'anonymous' : `${principal.kind}:${principal.name}`;
}

/** True when the principal may act on tasks with this name (poll their queue, report their results). */
export function mayWorkOn(principal: Principal, taskName: string): boolean {
  return principal.taskTypes === undefined || principal.taskTypes.has(taskName);
}

const principals = new WeakMap<object, Principal>();

/** Remembers who made this request (the auth guard does, before any handler runs). */
export function attachPrincipal(request: object, principal: Principal): void {
  principals.set(request, principal);
}

/** Who made this request. Throws for a request the auth guard did not see: never falls back to a principal. */
export function principalOf(request: object): Principal {
  const principal = principals.get(request);
  if (!principal) throw new Error('no principal on this request: the auth guard did not run (auth/auth.guard.ts)');
  return principal;
}
