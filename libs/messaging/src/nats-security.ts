import { readFileSync } from 'node:fs';
import {
  credsAuthenticator,
  nkeyAuthenticator,
  tokenAuthenticator,
  usernamePasswordAuthenticator,
  type Authenticator,
  type ConnectionOptions,
  type TlsOptions,
} from 'nats';
import { BatonError } from '@app/domain';
import { MessagingErrorCodes } from './messaging.errors';

/**
 * How a Baton process proves who it is to NATS and checks who NATS is (docs/configuration.md,
 * "NATS credentials and TLS"). At most one way of authenticating is set; credentials written in
 * the server URL (`nats://user:pass@host`, `nats://token@host`) count as one.
 */
export interface NatsSecurity {
  /** `BATON_NATS_USER`, with {@link password}. */
  readonly user?: string;
  /** `BATON_NATS_PASSWORD`. */
  readonly password?: string;
  /** `BATON_NATS_TOKEN`. */
  readonly token?: string;
  /** `BATON_NATS_NKEY_SEED`: the seed itself (`SU…`). */
  readonly nkeySeed?: string;
  /** `BATON_NATS_NKEY_SEED_FILE`: a file holding the seed. */
  readonly nkeySeedFile?: string;
  /** `BATON_NATS_CREDS_FILE`: a `.creds` file (user JWT and seed), as `nsc` writes it. */
  readonly credsFile?: string;
  /** `BATON_NATS_TLS_CA`: PEM file of the CA that signed the server's certificate. */
  readonly tlsCaFile?: string;
  /** `BATON_NATS_TLS_CERT`: PEM client certificate, for servers that verify clients (with {@link tlsKeyFile}). */
  readonly tlsCertFile?: string;
  /** `BATON_NATS_TLS_KEY`: PEM private key of {@link tlsCertFile}. */
  readonly tlsKeyFile?: string;
  /**
   * `BATON_NATS_INBOX_PREFIX`: the prefix of the reply subjects this client subscribes to (default
   * `_INBOX`). A user whose permissions may subscribe only its own prefix cannot read the replies
   * other clients get, such as the task commands JetStream hands another worker type.
   */
  readonly inboxPrefix?: string;
}

/** Which variable holds each field of {@link NatsSecurity}: error messages name the variable. */
const VARIABLES: Readonly<Record<keyof NatsSecurity, string>> = {
  user: 'BATON_NATS_USER',
  password: 'BATON_NATS_PASSWORD',
  token: 'BATON_NATS_TOKEN',
  nkeySeed: 'BATON_NATS_NKEY_SEED',
  nkeySeedFile: 'BATON_NATS_NKEY_SEED_FILE',
  credsFile: 'BATON_NATS_CREDS_FILE',
  tlsCaFile: 'BATON_NATS_TLS_CA',
  tlsCertFile: 'BATON_NATS_TLS_CERT',
  tlsKeyFile: 'BATON_NATS_TLS_KEY',
  inboxPrefix: 'BATON_NATS_INBOX_PREFIX',
};

const configError = (message: string): BatonError => new BatonError(MessagingErrorCodes.InvalidNatsConfig, message, { retryable: false });

/** The `BATON_NATS_*` credential and TLS variables that are set (empty counts as unset). */
export function natsSecurityFromEnv(env: NodeJS.ProcessEnv = process.env): NatsSecurity {
  const security: Partial<Record<keyof NatsSecurity, string>> = {};
  for (const [field, variable] of Object.entries(VARIABLES) as [keyof NatsSecurity, string][]) {
    const value = env[variable]?.trim();
    if (value) security[field] = value;
  }
  return security;
}

/** The servers of a URL list, without the credentials written in them, and those credentials. */
export interface ParsedNatsServers {
  readonly servers: string[];
  /** From the URLs' userinfo: `user:password` or a lone token. Every URL that has one must have the same. */
  readonly urlCredentials?: { readonly user: string; readonly password: string } | { readonly token: string };
}

/**
 * Splits `BATON_NATS_URL` (one URL or a comma-separated list) into servers and the credentials
 * written in them: the `nats` client ignores URL userinfo, so Baton takes it out and authenticates
 * with it itself (which also keeps it out of the client's own messages).
 */
export function parseNatsServers(url: string | readonly string[]): ParsedNatsServers {
  const list = (typeof url === 'string' ? url.split(',') : url).map((server) => server.trim()).filter(Boolean);
  let credentials: ParsedNatsServers['urlCredentials'];
  let seen: string | undefined;
  const servers = list.map((server) => {
    const match = /^([a-z][a-z0-9+.-]*:\/\/)?([^@/]*)@(.*)$/i.exec(server);
    if (!match) return server;
    const [, scheme = '', userinfo = '', rest = ''] = match;
    if (seen !== undefined && seen !== userinfo) throw configError('BATON_NATS_URL: every server URL that carries credentials must carry the same ones');
    seen = userinfo;
    const colon = userinfo.indexOf(':');
    credentials =
      colon < 0 ? { token: decodeURIComponent(userinfo) } : { user: decodeURIComponent(userinfo.slice(0, colon)), password: decodeURIComponent(userinfo.slice(colon + 1)) };
    return `${scheme}${rest}`;
  });
  return { servers, ...(credentials ? { urlCredentials: credentials } : {}) };
}

function readSecretFile(file: string, variable: string): Uint8Array {
  try {
    return readFileSync(file);
  } catch (error) {
    throw configError(`${variable}: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

function authenticator(security: NatsSecurity, fromUrl: ParsedNatsServers['urlCredentials']): Authenticator | undefined {
  const ways: { variable: string; build: () => Authenticator }[] = [];
  if (fromUrl) {
    ways.push({
      variable: 'credentials in BATON_NATS_URL',
      build: () => ('token' in fromUrl ? tokenAuthenticator(fromUrl.token) : usernamePasswordAuthenticator(fromUrl.user, fromUrl.password)),
    });
  }
  if (security.user !== undefined || security.password !== undefined) {
    if (security.user === undefined) throw configError('BATON_NATS_PASSWORD is set without BATON_NATS_USER');
    ways.push({ variable: VARIABLES.user, build: () => usernamePasswordAuthenticator(security.user!, security.password) });
  }
  if (security.token !== undefined) ways.push({ variable: VARIABLES.token, build: () => tokenAuthenticator(security.token!) });
  if (security.nkeySeed !== undefined) ways.push({ variable: VARIABLES.nkeySeed, build: () => nkeyAuthenticator(new TextEncoder().encode(security.nkeySeed)) });
  if (security.nkeySeedFile !== undefined) {
    const file = security.nkeySeedFile;
    ways.push({ variable: VARIABLES.nkeySeedFile, build: () => nkeyAuthenticator(new TextEncoder().encode(new TextDecoder().decode(readSecretFile(file, VARIABLES.nkeySeedFile)).trim())) });
  }
  if (security.credsFile !== undefined) {
    const file = security.credsFile;
    ways.push({ variable: VARIABLES.credsFile, build: () => credsAuthenticator(readSecretFile(file, VARIABLES.credsFile)) });
  }
  if (ways.length > 1) throw configError(`set one way of authenticating to NATS, not ${ways.map((way) => way.variable).join(' and ')}`);
  return ways[0]?.build();
}

function tlsOptions(security: NatsSecurity): TlsOptions | undefined {
  if ((security.tlsCertFile === undefined) !== (security.tlsKeyFile === undefined)) {
    throw configError('BATON_NATS_TLS_CERT and BATON_NATS_TLS_KEY go together: set both or neither');
  }
  const tls: TlsOptions = {
    ...(security.tlsCaFile !== undefined ? { caFile: security.tlsCaFile } : {}),
    ...(security.tlsCertFile !== undefined ? { certFile: security.tlsCertFile, keyFile: security.tlsKeyFile } : {}),
  };
  return Object.keys(tls).length > 0 ? tls : undefined;
}

/**
 * The `nats` client's connection options for a server list and its security settings: servers
 * without userinfo, one authenticator, TLS files. Throws `INVALID_NATS_CONFIG` naming the
 * variable when the settings contradict each other or a file cannot be read, so a process fails at
 * start-up rather than with an `Authorization Violation` later.
 *
 * @example
 * connect({ ...natsConnectionOptions('nats://baton:s3cret@nats:4222', natsSecurityFromEnv()), name: 'baton' });
 */
export function natsConnectionOptions(
  url: string | readonly string[],
  security: NatsSecurity = {},
): Pick<ConnectionOptions, 'servers' | 'authenticator' | 'tls' | 'inboxPrefix'> {
  const { servers, urlCredentials } = parseNatsServers(url);
  const auth = authenticator(security, urlCredentials);
  const tls = tlsOptions(security);
  if (security.inboxPrefix !== undefined && !/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/.test(security.inboxPrefix)) {
    throw configError(`BATON_NATS_INBOX_PREFIX must be NATS subject tokens (letters, digits, "_", "-", separated by "."), got "${security.inboxPrefix}"`);
  }
  return { servers, ...(auth ? { authenticator: auth } : {}), ...(tls ? { tls } : {}), ...(security.inboxPrefix !== undefined ? { inboxPrefix: security.inboxPrefix } : {}) };
}
