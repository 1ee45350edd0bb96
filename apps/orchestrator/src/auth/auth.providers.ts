import type { Provider } from '@nestjs/common';
import { BATON_CONFIG, type BatonConfig } from '../config/baton-config';
import { TokenRegistry } from './api-tokens';
import { authEnabled } from './auth-config';
import { JwtVerifier } from './jwt-verifier';

/** DI token: true when requests are authenticated (tokens configured and `BATON_AUTH` not `none`). */
export const AUTH_ENABLED = Symbol('AUTH_ENABLED');

/** DI token: the {@link JwtVerifier} of the JWT mode, or null when it is not configured. */
export const JWT_VERIFIER = Symbol('JWT_VERIFIER');

/** The configured tokens and whether they are required, from the configuration. */
export const AUTH_PROVIDERS: Provider[] = [
  { provide: TokenRegistry, inject: [BATON_CONFIG], useFactory: (config: BatonConfig) => new TokenRegistry(config.auth.tokens) },
  { provide: AUTH_ENABLED, inject: [BATON_CONFIG], useFactory: (config: BatonConfig) => authEnabled(config.auth) },
  { provide: JWT_VERIFIER, inject: [BATON_CONFIG], useFactory: (config: BatonConfig) => (config.auth.jwt ? new JwtVerifier(config.auth.jwt) : null) },
];
