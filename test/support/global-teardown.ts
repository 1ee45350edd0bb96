import { rmSync } from 'node:fs';
import type { ChildProcess } from 'node:child_process';

/** Stops the nats-server the run's global setup started (if it started one) and removes its store. */
export default async function globalTeardown(): Promise<void> {
  const started = (globalThis as { batonTestNats?: { child: ChildProcess; storeDir: string } }).batonTestNats;
  if (!started) return;
  const { child, storeDir } = started;
  if (child.exitCode === null) {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    await exited;
  }
  rmSync(storeDir, { recursive: true, force: true });
}
