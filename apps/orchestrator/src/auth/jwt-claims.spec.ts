import { loadJwtConfig, looksLikeJwt, principalOfClaims } from './jwt-claims';

const CLAIMS = { rolesClaim: 'roles', nameClaim: 'sub' };

describe('JWT claims', () => {
  it('given a name and roles, then the principal is user:<name> with the roles Baton knows (implied ones included)', () => {
    expect(principalOfClaims({ sub: 'alice', roles: ['operator', 'payroll-admin'] }, CLAIMS)).toEqual({ kind: 'user', name: 'alice', roles: new Set(['operator', 'reader']) });
  });

  it('reads roles from a space- or comma-separated string and from a nested claim', () => {
    expect(principalOfClaims({ sub: 'a', scope: 'openid auditor,reader' }, { ...CLAIMS, rolesClaim: 'scope' })?.roles).toEqual(new Set(['auditor', 'reader']));
    expect(principalOfClaims({ email: 'b@x.org', realm_access: { roles: ['admin'] } }, { rolesClaim: 'realm_access.roles', nameClaim: 'email' })).toMatchObject({ name: 'b@x.org', roles: new Set(['admin', 'operator', 'worker', 'auditor', 'reader']) });
  });

  it('given no roles claim, then the user holds no role (every route answers 403)', () => {
    expect(principalOfClaims({ sub: 'c' }, CLAIMS)?.roles).toEqual(new Set());
  });

  it('given no name claim, then there is no principal (401)', () => {
    expect(principalOfClaims({ roles: ['admin'] }, CLAIMS)).toBeUndefined();
    expect(principalOfClaims({ sub: 42, roles: ['admin'] }, CLAIMS)).toBeUndefined();
  });

  it('tells a JWS from an API token', () => {
    expect(looksLikeJwt('eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln')).toBe(true);
    expect(looksLikeJwt('baton_Vx3kq-9_abc')).toBe(false);
  });

  it('requires the issuer and audience with a JWKS URL, naming the variable', () => {
    expect(loadJwtConfig({})).toBeUndefined();
    expect(() => loadJwtConfig({ BATON_AUTH_JWKS_URL: 'ftp://x' })).toThrow('BATON_AUTH_JWKS_URL must be an http(s) URL');
    expect(() => loadJwtConfig({ BATON_AUTH_JWKS_URL: 'https://idp/jwks' })).toThrow('BATON_AUTH_JWT_ISSUER must be set');
    expect(() => loadJwtConfig({ BATON_AUTH_JWKS_URL: 'https://idp/jwks', BATON_AUTH_JWT_ISSUER: 'https://idp' })).toThrow('BATON_AUTH_JWT_AUDIENCE must be set');
    expect(loadJwtConfig({ BATON_AUTH_JWKS_URL: 'https://idp/jwks', BATON_AUTH_JWT_ISSUER: 'https://idp', BATON_AUTH_JWT_AUDIENCE: 'baton' })).toEqual({
      jwksUrl: 'https://idp/jwks',
      issuer: 'https://idp',
      audience: 'baton',
      rolesClaim: 'roles',
      nameClaim: 'sub',
    });
  });
});
