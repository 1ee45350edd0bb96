/**
 * Makes sure a JetStream-enabled NATS server answers on 127.0.0.1:4222 (or BATON_NATS_URL):
 * if nothing listens there, starts Debian's nats-server in the background (as .ci/run does).
 * `npm run nats:ensure` leaves a server it started running and says how to stop it.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { connect as netConnect } from 'node:net';
import path from 'node:path';
import { connect, type NatsConnection } from 'nats';

const NATS_BINARY_CANDIDATES = ['/usr/sbin/nats-server', '/usr/bin/nats-server', '/usr/local/bin/nats-server'];

function portOpen(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = netConnect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** What {@link ensureNats} found or did. */
export interface EnsuredNats {
  /** The URL in use (BATON_NATS_URL, else nats://127.0.0.1:4222). */
  readonly url: string;
  /** Set when it had to start a server: that process, and where it keeps its streams. */
  readonly started?: { readonly pid: number; readonly storeDir: string };
}

/**
 * Makes sure a NATS server with JetStream answers at `url`: uses one that does, starts Debian's
 * nats-server (in the background, store in `storeDir`) when nothing listens on a loopback URL, and
 * fails saying why when something answers that is not NATS with JetStream.
 */
export async function ensureNats(url = process.env.BATON_NATS_URL || 'nats://127.0.0.1:4222', storeDir = path.resolve('data', 'nats')): Promise<EnsuredNats> {
  const first = url.split(',')[0]!.trim();
  const { hostname, port } = new URL(first.replace(/^(nats|tls):/, 'http:'));
  const portNumber = Number(port || 4222);
  if (await portOpen(hostname, portNumber)) {
    await checkJetStream(url);
    return { url };
  }
  if (!['127.0.0.1', 'localhost'].includes(hostname)) {
    throw new Error(`NATS at ${url} does not answer, and Baton only starts a local one on 127.0.0.1`);
  }
  const binary = NATS_BINARY_CANDIDATES.find((candidate) => existsSync(candidate));
  if (!binary) {
    throw new Error('No NATS server answers on 127.0.0.1 and nats-server is not installed: run `sudo apt-get install -y nats-server` (or start one with -js).');
  }
  mkdirSync(storeDir, { recursive: true });
  const child = spawn(binary, ['-a', '127.0.0.1', '-p', String(portNumber), '-js', '-sd', storeDir], { detached: true, stdio: 'ignore' });
  child.unref();
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (await portOpen('127.0.0.1', portNumber)) return { url, started: { pid: child.pid!, storeDir } };
    if (child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`started ${binary} but nothing answers on port ${portNumber}${child.exitCode !== null ? ` (it exited with code ${child.exitCode})` : ' after 10 s'}`);
}

/** Something answers at `url`: it must be NATS, with JetStream enabled. */
async function checkJetStream(url: string): Promise<void> {
  let connection: NatsConnection;
  try {
    connection = await connect({ servers: url.split(','), name: 'baton-ensure-nats', maxReconnectAttempts: 0, timeout: 5_000 });
  } catch (error) {
    throw new Error(`something listens at ${url} but NATS does not answer there (${error instanceof Error ? error.message : String(error)})`);
  }
  try {
    await (await connection.jetstreamManager()).getAccountInfo();
  } catch {
    throw new Error(`the NATS server at ${url} has no JetStream: start it with -js (nats-server -js)`);
  } finally {
    await connection.close();
  }
}

export function natsServerBinary(): string {
  const found = NATS_BINARY_CANDIDATES.find((candidate) => existsSync(candidate));
  if (found) return found;
  try {
    return execFileSync('which', ['nats-server'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('nats-server is not installed: apt-get install -y nats-server');
  }
}

if (require.main === module) {
  ensureNats()
    .then(({ url, started }) =>
      console.log(started ? `started nats-server with JetStream at ${url} (pid ${started.pid}, store ${started.storeDir}); it keeps running: stop it with kill ${started.pid}` : `NATS with JetStream answers at ${url}`),
    )
    .catch((error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    });
}
