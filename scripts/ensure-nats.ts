/**
 * Makes sure a JetStream-enabled NATS server answers on 127.0.0.1:4222 (or BATON_NATS_URL):
 * if nothing listens there, starts Debian's nats-server in the background (as .ci/run does).
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { connect as netConnect } from 'node:net';
import path from 'node:path';

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

/** Returns true when it had to start a server. */
export async function ensureNats(url = process.env.BATON_NATS_URL ?? 'nats://127.0.0.1:4222'): Promise<boolean> {
  const { hostname, port } = new URL(url.replace(/^nats:/, 'http:'));
  const portNumber = Number(port || 4222);
  if (await portOpen(hostname, portNumber)) return false;
  if (!['127.0.0.1', 'localhost'].includes(hostname)) {
    throw new Error(`NATS at ${url} does not answer, and Baton only starts a local one on 127.0.0.1`);
  }
  const binary = NATS_BINARY_CANDIDATES.find((candidate) => existsSync(candidate));
  if (!binary) {
    throw new Error('No NATS server answers on 127.0.0.1 and nats-server is not installed: run `sudo apt-get install -y nats-server` (or start one with -js).');
  }
  const storeDir = path.resolve('data', 'nats');
  mkdirSync(storeDir, { recursive: true });
  const child = spawn(binary, ['-a', '127.0.0.1', '-p', String(portNumber), '-js', '-sd', storeDir], { detached: true, stdio: 'ignore' });
  child.unref();
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (await portOpen('127.0.0.1', portNumber)) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`started ${binary} but nothing answers on port ${portNumber} after 10 s`);
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
    .then((started) => console.log(started ? 'started a local NATS server with JetStream' : 'NATS is running'))
    .catch((error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    });
}
