import { SetMetadata } from '@nestjs/common';
import { API_ROLES, isApiRole, type ApiRole } from '@app/common';

/** The roles an API token grants; docs/security.md has the route table. */
export const ROLES = API_ROLES;

/** A role of {@link ROLES}. */
export type Role = ApiRole;

/**
 * What each role grants besides itself. `admin` holds every other role; `operator` and `auditor`
 * both read what a `reader` reads; `worker` is a separate, narrow role (poll and report tasks),
 * so a worker's leaked token neither reads histories nor starts or stops executions.
 */
const IMPLIED: { readonly [R in Role]: readonly Role[] } = {
  admin: ['admin', 'operator', 'worker', 'auditor', 'reader'],
  operator: ['operator', 'reader'],
  auditor: ['auditor', 'reader'],
  worker: ['worker'],
  reader: ['reader'],
};

/** Every role the given roles grant, implied ones included. */
export function effectiveRoles(roles: readonly Role[]): ReadonlySet<Role> {
  return new Set(roles.flatMap((role) => IMPLIED[role]));
}

/** True for a string naming one of {@link ROLES}. */
export const isRole = isApiRole;

/** Metadata key of a route's access rule ({@link Roles}, {@link Public}). */
export const ROUTE_ACCESS = 'baton:route-access';

/** A route's access rule: the roles of which the caller needs one, or open to anyone. */
export type RouteAccess = { readonly roles: readonly Role[] } | 'public';

/**
 * The roles that may call a route (any one of them, implied roles count). Every HTTP route of
 * the orchestrator declares its roles or {@link Public}: the app refuses to start otherwise
 * (`route-access.ts`), so a new route cannot be left open by forgetting it.
 *
 * @example
 * @Roles('operator')
 * @Put(':id/pause')
 * pause() {}
 */
export const Roles = (...roles: [Role, ...Role[]]) => SetMetadata(ROUTE_ACCESS, { roles } satisfies RouteAccess);

/** A route anyone may call without credentials (only `/health`: a load balancer's probe has none). */
export const Public = () => SetMetadata(ROUTE_ACCESS, 'public' satisfies RouteAccess);
