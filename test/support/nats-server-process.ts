import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { portOpen } from '@app/messaging/testing/nats-server-process';
import { natsServerBinary } from '../../scripts/ensure-nats';

/**
 * Starts a nats-server with JetStream on a loopback port and a store directory of the caller's,
 * and resolves once it accepts connections (rejects if it exits or is not up within 10 s).
 */
export async function spawnNatsServer(port: number, storeDir: string): Promise<ChildProcess> {
  mkdirSync(storeDir, { recursive: true });
  const child = spawn(natsServerBinary(), ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', storeDir], { stdio: 'ignore' });
  const deadline = Date.now() + 10_000;
  while (!(await portOpen(port))) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`nats-server did not start on port ${port}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return child;
}
