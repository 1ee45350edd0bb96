import { Logger } from '@nestjs/common';
import { AuthProviderUnavailableError } from './auth.errors';
import type { Principal } from './principal';
import { principalOfClaims, type JwtConfig } from './jwt-claims';

type Jose = typeof import('jose');

/**
 * Verifies JWT bearer tokens against the identity provider's JWKS (`jose`: signature, `exp`/`nbf`,
 * `iss`, `aud`; keys cached and fetched again for an unknown `kid`). Only asymmetric algorithms:
 * a JWKS holds public keys, and `none`/HMAC tokens are refused.
 */
export class JwtVerifier {
  private readonly logger = new Logger('Auth');
  private jose?: Promise<{ jose: Jose; keys: ReturnType<Jose['createRemoteJWKSet']> }>;

  constructor(private readonly config: JwtConfig) {}

  /**
   * The principal of a valid token; undefined for an invalid one (the reason is logged at debug).
   * Throws {@link AuthProviderUnavailableError} (503) when the JWKS cannot be fetched: the token
   * may well be valid, and the caller should try again rather than be told it is not.
   */
  async principalOf(token: string): Promise<Principal | undefined> {
    // Loaded on first use: jose is an ES module, and only this mode needs it.
    this.jose ??= import('jose').then((jose) => ({ jose, keys: jose.createRemoteJWKSet(new URL(this.config.jwksUrl)) }));
    const { jose, keys } = await this.jose;
    try {
      const { payload } = await jose.jwtVerify(token, keys, {
        issuer: this.config.issuer,
        audience: this.config.audience,
        algorithms: ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'],
      });
      return principalOfClaims(payload, this.config);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      // jose's own errors all have ERR_J… codes; anything else is the fetch of the key set failing.
      if (code === 'ERR_JWKS_TIMEOUT' || typeof code !== 'string' || !code.startsWith('ERR_J')) {
        this.logger.warn(`the JWKS at ${this.config.jwksUrl} could not be read: ${(error as Error).message}`);
        throw new AuthProviderUnavailableError(this.config.jwksUrl);
      }
      this.logger.debug(`JWT refused: ${code}`);
      return undefined;
    }
  }
}
