import { effectiveRoles, isRole } from './roles';
import type { Principal } from './principal';

/** The JWT mode's settings (docs/security.md, "OIDC / JWT bearer tokens"). */
export interface JwtConfig {
  /** `BATON_AUTH_JWKS_URL`: the identity provider's JSON Web Key Set. */
  readonly jwksUrl: string;
  /** `BATON_AUTH_JWT_ISSUER`: the `iss` every token must carry. */
  readonly issuer: string;
  /** `BATON_AUTH_JWT_AUDIENCE`: an `aud` every token must carry. */
  readonly audience: string;
  /** `BATON_AUTH_JWT_ROLES_CLAIM` (default `roles`): where the roles are; a dotted path reaches into objects (`realm_access.roles`). */
  readonly rolesClaim: string;
  /** `BATON_AUTH_JWT_NAME_CLAIM` (default `sub`): what names the user (`user:<name>` in the history). */
  readonly nameClaim: string;
}

/** Reads the JWT settings; undefined without `BATON_AUTH_JWKS_URL`. Throws naming the variable. */
export function loadJwtConfig(env: NodeJS.ProcessEnv): JwtConfig | undefined {
  const jwksUrl = env.BATON_AUTH_JWKS_URL;
  if (!jwksUrl) return undefined;
  if (!/^https?:\/\/[^/]/.test(jwksUrl)) throw new Error(`BATON_AUTH_JWKS_URL must be an http(s) URL, got "${jwksUrl}"`);
  const issuer = env.BATON_AUTH_JWT_ISSUER;
  const audience = env.BATON_AUTH_JWT_AUDIENCE;
  // Without both, a token minted for another application of the same provider would be accepted.
  if (!issuer) throw new Error('BATON_AUTH_JWT_ISSUER must be set with BATON_AUTH_JWKS_URL (the iss tokens must carry)');
  if (!audience) throw new Error('BATON_AUTH_JWT_AUDIENCE must be set with BATON_AUTH_JWKS_URL (an aud tokens must carry)');
  return { jwksUrl, issuer, audience, rolesClaim: env.BATON_AUTH_JWT_ROLES_CLAIM || 'roles', nameClaim: env.BATON_AUTH_JWT_NAME_CLAIM || 'sub' };
}

function claimAt(payload: Record<string, unknown>, path: string): unknown {
  return path.split('.').reduce<unknown>((value, key) => (typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined), payload);
}

/**
 * The principal of a verified token's claims: `user:<name claim>` with the roles of the roles
 * claim (a list, or a space- or comma-separated string) that Baton knows; others are ignored.
 * Undefined when the name claim is missing.
 */
export function principalOfClaims(payload: Record<string, unknown>, config: Pick<JwtConfig, 'rolesClaim' | 'nameClaim'>): Principal | undefined {
  const name = claimAt(payload, config.nameClaim);
  if (typeof name !== 'string' || name === '' || name.length > 256) return undefined;
  const raw = claimAt(payload, config.rolesClaim);
  const listed = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(/[\s,]+/) : [];
  return { kind: 'user', name, roles: effectiveRoles(listed.filter(isRole)) };
}

/** True for a bearer token shaped like a JWS (three base64url parts): verified as a JWT, not looked up as an API token. */
export function looksLikeJwt(token: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token);
}
