import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { portOpen } from '@app/messaging/testing/nats-server-process';
import { waitFor } from '@app/testing/wait-for';
import { repoRoot } from './support/child-process';
import { freePort, NATS_URL, tempDir } from './support/stack';

/*
 * `npm run demo` (dist/scripts/demo.js) as a newcomer meets it when something is off: it never takes
 * another process on the port for its orchestrator, it reports the orchestrator's own reason for
 * not starting, it prints the NATS URL it uses and stops the NATS server it started. Run
 * `npm run build` first.
 */

interface DemoRun {
  readonly code: number;
  readonly output: string;
}

function runDemo(env: Record<string, string>): Promise<DemoRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(repoRoot(), 'dist', 'scripts', 'demo.js'), '--exit'], { env: { ...process.env, DEMO_ORDERS: '1', ...env }, timeout: 180_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, output: `${stdout}${stderr}` });
    });
  });
}

describe('npm run demo: a front door without traps', () => {
  it('given another process answering /health on BATON_HTTP_PORT, when the demo runs, then it does not take it for its orchestrator: it fails naming the port and the variable to change', async () => {
    const port = await freePort();
    const impostor: Server = createServer((_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok","info":{}}'));
    await new Promise<void>((resolve) => impostor.listen(port, '127.0.0.1', resolve));
    try {
      const run = await runDemo({ BATON_HTTP_PORT: String(port), BATON_DATA_DIR: tempDir('demo-port'), BATON_NATS_URL: NATS_URL });

      expect(run.code).toBe(1);
      expect(run.output).toContain(`• NATS: ${NATS_URL} — a server with JetStream was already answering; the demo uses it and leaves it running`);
      expect(run.output).toContain(`the orchestrator did not start: baton orchestrator: cannot start: BATON_HTTP_PORT=${port}: 127.0.0.1:${port} is in use by another process`);
      expect(run.output).toContain('set BATON_HTTP_PORT to a free port');
      expect(run.output).not.toContain('orchestrator ready');
    } finally {
      impostor.close();
    }
  });

  it('given no NATS at BATON_NATS_URL and an orchestrator that cannot start, when the demo runs, then it prints the URL of the NATS it started, the orchestrator\'s own reason, and stops that NATS on exit', async () => {
    const natsPort = await freePort();
    const natsUrl = `nats://127.0.0.1:${natsPort}`;

    const run = await runDemo({ BATON_HTTP_PORT: String(await freePort()), BATON_DATA_DIR: tempDir('demo-nats'), BATON_NATS_URL: natsUrl, BATON_EVENT_STORE: 'mysql://db/baton' });

    expect(run.code).toBe(1);
    expect(run.output).toMatch(new RegExp(`• NATS: ${natsUrl} — nats-server with JetStream started by the demo \\(pid \\d+, store .+\\); stopped when the demo exits`));
    expect(run.output).toContain('the orchestrator did not start: baton orchestrator: cannot start: BATON_EVENT_STORE must be sqlite:<file> or an esdb:// connection string, got "mysql://db/baton"');
    expect(run.output).toMatch(/stopped the NATS server the demo started \(pid \d+\)/);
    await waitFor(`the NATS server on port ${natsPort} to be stopped`, async () => !(await portOpen(natsPort)), { timeoutMs: 10_000 });
  });
});
