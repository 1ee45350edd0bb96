import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { nkeys, type Auth } from 'nats';
import { natsConnectionOptions, natsSecurityFromEnv, parseNatsServers } from './nats-security';

/** What the client would send in CONNECT, for a server nonce. */
function authSent(options: ReturnType<typeof natsConnectionOptions>, nonce = 'nonce-1'): Auth | undefined {
  const authenticator = options.authenticator;
  if (Array.isArray(authenticator)) throw new Error('expected a single authenticator');
  return authenticator?.(nonce);
}

describe('NATS credentials and TLS → connection options', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'nats-security-'));

  it('takes user and password out of the URL and authenticates with them', () => {
    const options = natsConnectionOptions('nats://baton:s3cret@nats-1:4222,nats://baton:s3cret@nats-2:4222');

    expect(options.servers).toEqual(['nats://nats-1:4222', 'nats://nats-2:4222']);
    expect(authSent(options)).toEqual({ user: 'baton', pass: 's3cret' });
  });

  it('reads a lone userinfo as a token, and decodes percent-escapes', () => {
    expect(authSent(natsConnectionOptions('nats://t0k%40n@nats:4222'))).toEqual({ auth_token: 't0k@n' });
    expect(authSent(natsConnectionOptions('nats://a%3Ab:p%2Fw@nats:4222'))).toEqual({ user: 'a:b', pass: 'p/w' });
  });

  it('leaves URLs without credentials as they are and sends no credentials', () => {
    const options = natsConnectionOptions(['tls://nats:4443', 'nats://127.0.0.1:4222']);

    expect(options).toEqual({ servers: ['tls://nats:4443', 'nats://127.0.0.1:4222'] });
  });

  it('refuses server URLs carrying different credentials', () => {
    expect(() => parseNatsServers('nats://a:1@n1:4222,nats://b:2@n2:4222')).toThrow(/same ones/);
  });

  it('maps BATON_NATS_USER / BATON_NATS_PASSWORD and BATON_NATS_TOKEN', () => {
    const userPass = natsSecurityFromEnv({ BATON_NATS_USER: 'orchestrator', BATON_NATS_PASSWORD: 'pw' });
    expect(authSent(natsConnectionOptions('nats://nats:4222', userPass))).toEqual({ user: 'orchestrator', pass: 'pw' });

    const token = natsSecurityFromEnv({ BATON_NATS_TOKEN: 'tok', BATON_NATS_USER: '  ' });
    expect(authSent(natsConnectionOptions('nats://nats:4222', token))).toEqual({ auth_token: 'tok' });
  });

  it('signs the server nonce with the NKey seed from BATON_NATS_NKEY_SEED or BATON_NATS_NKEY_SEED_FILE', () => {
    const user = nkeys.createUser();
    const seed = new TextDecoder().decode(user.getSeed());
    const seedFile = path.join(dir, 'user.nk');
    writeFileSync(seedFile, `${seed}\n`);

    for (const env of [{ BATON_NATS_NKEY_SEED: seed }, { BATON_NATS_NKEY_SEED_FILE: seedFile }]) {
      const sent = authSent(natsConnectionOptions('nats://nats:4222', natsSecurityFromEnv(env)), 'the-nonce') as { nkey: string; sig: string };

      expect(sent.nkey).toBe(user.getPublicKey());
      const signature = Buffer.from(sent.sig, 'base64url');
      expect(nkeys.fromPublic(user.getPublicKey()).verify(new TextEncoder().encode('the-nonce'), signature)).toBe(true);
    }
  });

  it('sends the JWT of a .creds file from BATON_NATS_CREDS_FILE', () => {
    const user = nkeys.createUser();
    const jwt = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJlZDI1NTE5LW5rZXkifQ.e30.c2ln';
    const credsFile = path.join(dir, 'worker.creds');
    writeFileSync(
      credsFile,
      `-----BEGIN NATS USER JWT-----\n${jwt}\n------END NATS USER JWT------\n\n-----BEGIN USER NKEY SEED-----\n${new TextDecoder().decode(user.getSeed())}\n------END USER NKEY SEED------\n`,
    );

    const sent = authSent(natsConnectionOptions('nats://nats:4222', natsSecurityFromEnv({ BATON_NATS_CREDS_FILE: credsFile }))) as { jwt: string; nkey: string };

    expect(sent.jwt).toBe(jwt);
    expect(sent.nkey).toBe(user.getPublicKey());
  });

  it('maps BATON_NATS_TLS_CA / _CERT / _KEY to the TLS files', () => {
    const security = natsSecurityFromEnv({ BATON_NATS_TLS_CA: '/etc/nats/ca.pem', BATON_NATS_TLS_CERT: '/etc/nats/client.pem', BATON_NATS_TLS_KEY: '/etc/nats/client-key.pem' });

    expect(natsConnectionOptions('tls://nats:4222', security).tls).toEqual({ caFile: '/etc/nats/ca.pem', certFile: '/etc/nats/client.pem', keyFile: '/etc/nats/client-key.pem' });
    expect(natsConnectionOptions('nats://nats:4222', { tlsCaFile: '/ca.pem' }).tls).toEqual({ caFile: '/ca.pem' });
  });

  it('maps BATON_NATS_INBOX_PREFIX to the client\'s reply-subject prefix, and refuses one that is not subject tokens', () => {
    expect(natsConnectionOptions('nats://nats:4222', natsSecurityFromEnv({ BATON_NATS_INBOX_PREFIX: '_INBOX_ship_order' })).inboxPrefix).toBe('_INBOX_ship_order');
    expect(() => natsConnectionOptions('nats://nats:4222', { inboxPrefix: '_INBOX.>' })).toThrow(/BATON_NATS_INBOX_PREFIX must be NATS subject tokens/);
  });

  it('refuses contradicting settings, naming the variables', () => {
    expect(() => natsConnectionOptions('nats://u:p@nats:4222', { token: 't' })).toThrow('set one way of authenticating to NATS, not credentials in BATON_NATS_URL and BATON_NATS_TOKEN');
    expect(() => natsConnectionOptions('nats://nats:4222', { user: 'u', credsFile: '/x.creds' })).toThrow(/BATON_NATS_USER and BATON_NATS_CREDS_FILE/);
    expect(() => natsConnectionOptions('nats://nats:4222', { password: 'p' })).toThrow('BATON_NATS_PASSWORD is set without BATON_NATS_USER');
    expect(() => natsConnectionOptions('nats://nats:4222', { tlsCertFile: '/c.pem' })).toThrow(/BATON_NATS_TLS_CERT and BATON_NATS_TLS_KEY go together/);
  });

  it('fails at once, naming the variable, when a credentials file cannot be read', () => {
    expect(() => natsConnectionOptions('nats://nats:4222', { credsFile: path.join(dir, 'missing.creds') })).toThrow(
      expect.objectContaining({ code: 'INVALID_NATS_CONFIG', message: expect.stringContaining('BATON_NATS_CREDS_FILE: cannot read') }),
    );
  });
});
