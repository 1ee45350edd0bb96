import { isIP } from 'node:net';
import { loadApiTokens, type ApiToken } from './api-tokens';
import { loadJwtConfig, type JwtConfig } from './jwt-claims';

/** How the HTTP API authenticates (docs/security.md). */
export interface AuthConfig {
  /** `BATON_AUTH`: `tokens` (default: API tokens when configured) or `none` (off, explicitly). */
  readonly mode: 'tokens' | 'none';
  /** From `BATON_AUTH_TOKENS_FILE` or `BATON_AUTH_TOKENS`. */
  readonly tokens: readonly ApiToken[];
  /** The OIDC/JWT bearer mode, when `BATON_AUTH_JWKS_URL` is set (alongside the API tokens). */
  readonly jwt?: JwtConfig;
}

/** Reads `BATON_AUTH` and the token list; throws naming the variable when one is wrong. */
export function loadAuthConfig(env: NodeJS.ProcessEnv): AuthConfig {
  const mode = env.BATON_AUTH === undefined || env.BATON_AUTH === '' ? 'tokens' : env.BATON_AUTH;
  if (mode !== 'tokens' && mode !== 'none') throw new Error(`BATON_AUTH must be tokens or none, got "${mode}"`);
  const jwt = loadJwtConfig(env);
  return { mode, tokens: loadApiTokens(env), ...(jwt ? { jwt } : {}) };
}

/** True when requests are authenticated (otherwise every caller is `anonymous` with every role). */
export function authEnabled(auth: AuthConfig): boolean {
  return auth.mode === 'tokens' && (auth.tokens.length > 0 || auth.jwt !== undefined);
}

/** True for an address only this machine can reach. */
export function isLoopback(host: string): boolean {
  const address = host.replace(/^\[|\]$/g, '');
  if (address === 'localhost' || address === '::1') return true;
  if (address.startsWith('::ffff:')) return isLoopback(address.slice('::ffff:'.length));
  return isIP(address) === 4 && address.startsWith('127.');
}

/** Refusal to start: the API would be open to the network. */
export class InsecureBindError extends Error {}

/**
 * The secure default, checked before the orchestrator starts: bound to a non-loopback address
 * without tokens it refuses ({@link InsecureBindError}, one line naming the variables) unless
 * `BATON_AUTH=none` says so explicitly. Returns the warning to log when the API is open.
 */
export function exposureWarning(auth: AuthConfig, httpHost: string): string | undefined {
  if (authEnabled(auth)) return undefined;
  if (auth.mode === 'none') {
    return `AUTHENTICATION IS OFF (BATON_AUTH=none): anyone who reaches http://${httpHost} can read every history, change definitions and complete tasks${auth.tokens.length ? '; the configured tokens are ignored' : ''}`;
  }
  if (!isLoopback(httpHost)) {
    throw new InsecureBindError(
      `refusing to start: BATON_HTTP_HOST=${httpHost} is reachable from the network and no API tokens are configured; set BATON_AUTH_TOKENS_FILE (or BATON_AUTH_TOKENS), or BATON_AUTH=none to run without authentication (docs/security.md)`,
    );
  }
  return `no API tokens configured (BATON_AUTH_TOKENS_FILE): the API on ${httpHost} is open to every local process`;
}
