import { tokenHash } from './api-tokens';
import { exposureWarning, InsecureBindError, isLoopback, loadAuthConfig } from './auth-config';

const TOKENS = JSON.stringify([{ name: 'alice', sha256: tokenHash('s'), roles: ['admin'] }]);

describe('the secure default', () => {
  it('refuses a network-reachable bind without tokens, naming the variables', () => {
    const check = () => exposureWarning(loadAuthConfig({}), '0.0.0.0');
    expect(check).toThrow(InsecureBindError);
    expect(check).toThrow(/BATON_HTTP_HOST=0\.0\.0\.0 .*BATON_AUTH_TOKENS_FILE .*BATON_AUTH=none/);
  });

  it('allows it with tokens or a JWKS, silently', () => {
    expect(exposureWarning(loadAuthConfig({ BATON_AUTH_TOKENS: TOKENS }), '0.0.0.0')).toBeUndefined();
    expect(exposureWarning(loadAuthConfig({ BATON_AUTH_JWKS_URL: 'https://idp/jwks', BATON_AUTH_JWT_ISSUER: 'https://idp', BATON_AUTH_JWT_AUDIENCE: 'baton' }), '0.0.0.0')).toBeUndefined();
  });

  it('allows it with BATON_AUTH=none, loudly', () => {
    expect(exposureWarning(loadAuthConfig({ BATON_AUTH: 'none' }), '0.0.0.0')).toMatch(/^AUTHENTICATION IS OFF \(BATON_AUTH=none\)/);
    expect(exposureWarning(loadAuthConfig({ BATON_AUTH: 'none', BATON_AUTH_TOKENS: TOKENS }), '10.0.0.5')).toMatch(/the configured tokens are ignored/);
  });

  it('leaves loopback open without tokens, with a warning', () => {
    expect(exposureWarning(loadAuthConfig({}), '127.0.0.1')).toMatch(/no API tokens configured/);
  });

  it('rejects an unknown BATON_AUTH', () => {
    expect(() => loadAuthConfig({ BATON_AUTH: 'off' })).toThrow('BATON_AUTH must be tokens or none, got "off"');
  });

  it.each([
    ['127.0.0.1', true],
    ['127.8.9.10', true],
    ['localhost', true],
    ['::1', true],
    ['[::1]', true],
    ['::ffff:127.0.0.1', true],
    ['0.0.0.0', false],
    ['::', false],
    ['192.168.1.4', false],
    ['127.example.com', false],
  ])('%s is loopback: %s', (host, loopback) => {
    expect(isLoopback(host)).toBe(loopback);
  });
});
