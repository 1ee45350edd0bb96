import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect as netConnect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { waitFor } from '@app/testing/wait-for';

const NATS_SERVER = process.env.NATS_SERVER_BIN ?? '/usr/sbin/nats-server';

/**
 * A nats-server with JetStream that a test owns: its own port and store directory, so the test
 * can kill and restart it without disturbing the shared server on 4222. `config` is the text of a
 * server configuration file (accounts, users, TLS); address, port and JetStream are set on the
 * command line, which overrides it. `logFile` keeps the server's log (permission violations, say).
 */
export class NatsServerProcess {
  private child: ChildProcess | undefined;
  readonly storeDir = mkdtempSync(path.join(tmpdir(), 'baton-nats-'));

  constructor(
    readonly port: number,
    private readonly options: { config?: string; logFile?: string } = {},
  ) {}

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const args = ['-a', '127.0.0.1', '-p', String(this.port), '-js', '-sd', this.storeDir];
    if (this.options.config !== undefined) {
      const configFile = path.join(this.storeDir, 'nats-server.conf');
      writeFileSync(configFile, this.options.config);
      args.push('-c', configFile);
    }
    if (this.options.logFile !== undefined) args.push('-l', this.options.logFile);
    this.child = spawn(NATS_SERVER, args, { stdio: 'ignore' });
    await waitFor(`nats-server on port ${this.port}`, () => portOpen(this.port), { timeoutMs: 10_000, intervalMs: 50 });
  }

  /** Kills the server (SIGKILL by default: a crash, not a polite shutdown) and waits for it to exit. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    await exited;
    this.child = undefined;
  }

  async dispose(): Promise<void> {
    await this.kill();
    rmSync(this.storeDir, { recursive: true, force: true });
  }
}

/** Whether something accepts TCP connections on this loopback port. */
export function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = netConnect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
