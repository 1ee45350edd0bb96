import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { spawnNatsServer } from './nats-server-process';

/**
 * Integration and end-to-end tests talk to a real NATS server — one this test run starts itself,
 * on a free loopback port with its own store directory, so the suites may reset Baton's streams
 * without touching a server someone else runs, and two test runs on one machine never meet.
 * `BATON_TEST_NATS_URL` points the run at an existing server instead (its streams get reset).
 */
export default async function globalSetup(): Promise<void> {
  const external = process.env.BATON_TEST_NATS_URL;
  if (external) {
    process.env.BATON_NATS_URL = external;
    return;
  }
  const port = await freePort();
  const storeDir = mkdtempSync(path.join(os.tmpdir(), 'baton-test-nats-'));
  const child = await spawnNatsServer(port, storeDir);
  process.env.BATON_NATS_URL = `nats://127.0.0.1:${port}`;
  (globalThis as { batonTestNats?: { child: ChildProcess; storeDir: string } }).batonTestNats = { child, storeDir };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
