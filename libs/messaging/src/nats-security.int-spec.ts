import type { NatsConnection } from 'nats';
import { closeNats, connectNats } from './nats-connection';
import { NatsServerProcess } from './testing/nats-server-process';
import { createThrowawayTls, opensslAvailable, type ThrowawayTls } from './testing/throwaway-tls';

jest.setTimeout(30_000);

const randomPort = (): number => 15_000 + Math.floor(Math.random() * 2_000);

/** Connects, proves the connection works with a request JetStream answers, and closes it. */
async function roundTrip(connect: () => Promise<NatsConnection>): Promise<void> {
  const connection = await connect();
  try {
    await connection.flush();
    expect(connection.info?.server_id).toBeTruthy();
  } finally {
    await closeNats(connection, { drain: false });
  }
}

const noRetry = { maxReconnectAttempts: 0, reconnect: false, timeout: 5_000 } as const;

describe('connecting to a NATS server that requires credentials (own nats-server)', () => {
  const server = new NatsServerProcess(randomPort(), {
    config: `authorization {
      users = [
        { user: orchestrator, password: "pa:ss/w@rd" }
      ]
    }`,
  });
  const tokenServer = new NatsServerProcess(randomPort(), { config: 'authorization { token: "s3cret-token" }' });

  beforeAll(async () => {
    await Promise.all([server.start(), tokenServer.start()]);
  });

  afterAll(async () => {
    await Promise.all([server.dispose(), tokenServer.dispose()]);
  });

  it('connects with user and password written in BATON_NATS_URL (percent-encoded)', async () => {
    const url = `nats://orchestrator:${encodeURIComponent('pa:ss/w@rd')}@127.0.0.1:${server.port}`;

    await roundTrip(() => connectNats({ url, security: {}, connectionOptions: noRetry }));
  });

  it('connects with BATON_NATS_USER and BATON_NATS_PASSWORD', async () => {
    await roundTrip(() => connectNats({ url: server.url, security: { user: 'orchestrator', password: 'pa:ss/w@rd' }, connectionOptions: noRetry }));
  });

  it('connects with a token, in the URL or in BATON_NATS_TOKEN', async () => {
    await roundTrip(() => connectNats({ url: `nats://s3cret-token@127.0.0.1:${tokenServer.port}`, security: {}, connectionOptions: noRetry }));
    await roundTrip(() => connectNats({ url: tokenServer.url, security: { token: 's3cret-token' }, connectionOptions: noRetry }));
  });

  it('is refused without credentials or with a wrong password', async () => {
    await expect(connectNats({ url: server.url, security: {}, connectionOptions: noRetry })).rejects.toThrow(/Authorization Violation/i);
    await expect(connectNats({ url: server.url, security: { user: 'orchestrator', password: 'wrong' }, connectionOptions: noRetry })).rejects.toThrow(
      /Authorization Violation/i,
    );
  });
});

const describeTls = opensslAvailable() ? describe : describe.skip;

describeTls('connecting to a NATS server over TLS with a throwaway CA (own nats-server, openssl)', () => {
  let tls: ThrowawayTls;
  let server: NatsServerProcess;

  beforeAll(async () => {
    tls = createThrowawayTls();
    server = new NatsServerProcess(randomPort(), {
      config: `tls {
        cert_file: "${tls.serverCertFile}"
        key_file: "${tls.serverKeyFile}"
        ca_file: "${tls.caFile}"
        verify: true
      }
      authorization { users = [ { user: worker, password: secret } ] }`,
    });
    await server.start();
  });

  afterAll(async () => {
    await server?.dispose();
    tls?.dispose();
  });

  it('connects with the CA, a client certificate and credentials from the BATON_NATS_* settings', async () => {
    const security = { user: 'worker', password: 'secret', tlsCaFile: tls.caFile, tlsCertFile: tls.clientCertFile, tlsKeyFile: tls.clientKeyFile };

    await roundTrip(() => connectNats({ url: `tls://127.0.0.1:${server.port}`, security, connectionOptions: noRetry }));
  });

  it('is refused without the client certificate the server verifies', async () => {
    const security = { user: 'worker', password: 'secret', tlsCaFile: tls.caFile };

    await expect(connectNats({ url: `tls://127.0.0.1:${server.port}`, security, connectionOptions: noRetry })).rejects.toThrow();
  });

  it('does not trust the server without the CA', async () => {
    const security = { user: 'worker', password: 'secret', tlsCertFile: tls.clientCertFile, tlsKeyFile: tls.clientKeyFile };

    await expect(connectNats({ url: `tls://127.0.0.1:${server.port}`, security, connectionOptions: noRetry })).rejects.toThrow();
  });
});
