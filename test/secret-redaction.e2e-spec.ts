import { readFileSync } from 'node:fs';
import path from 'node:path';
import { simple, workflow } from '@app/domain';
import { NatsServerProcess } from '@app/messaging/testing/nats-server-process';
import { createWorker, type BatonWorker } from '@app/worker-sdk';
import { startNode } from './support/child-process';
import { startEsdbTestServer, type EsdbServerProcess } from './support/esdb-server-process';
import { register, start, waitForStatus } from './support/flows';
import { waitFor } from '@app/testing/wait-for';
import { freePort, startOrchestrator, stopAll, tempDir, type OrchestratorProcess } from './support/stack';

const NATS_PASSWORD = 'secret-nats-pw';
const ESDB_PASSWORD = 'secret-esdb-pw';

/** A child's log file once it holds what the test looks for (the file is written asynchronously, also after the child exits). */
function outputOnceWritten(file: string, written: (text: string) => boolean): Promise<string> {
  return waitFor(`${path.basename(file)} to be written`, () => {
    const text = readFileSync(file, 'utf8');
    return written(text) ? text : undefined;
  }, { timeoutMs: 10_000 });
}

describe('secrets in connection strings are never printed', () => {
  let dir: string;
  let nats: NatsServerProcess;
  let esdb: EsdbServerProcess;
  let orchestrator: OrchestratorProcess | undefined;
  let worker: BatonWorker | undefined;

  beforeAll(async () => {
    dir = tempDir('secret-redaction');
    nats = new NatsServerProcess(await freePort(), { config: `authorization { users = [ { user: u, password: "${NATS_PASSWORD}" } ] }` });
    await nats.start();
    esdb = await startEsdbTestServer({ logDir: path.join(dir, 'logs') });
  });

  afterAll(async () => {
    await worker?.stop();
    await stopAll([orchestrator?.handle, esdb?.handle]);
    await nats?.dispose();
  });

  it('given esdb://admin:secret@… and nats://u:secret@…, when the orchestrator starts, runs a workflow and stops, then neither password is in its output, /health or /metrics', async () => {
    const natsUrl = `nats://u:${NATS_PASSWORD}@127.0.0.1:${nats.port}`;
    orchestrator = await startOrchestrator({
      dataDir: dir,
      env: { BATON_NATS_URL: natsUrl, BATON_EVENT_STORE: `esdb://admin:${ESDB_PASSWORD}@127.0.0.1:${esdb.port}?tls=false&unknownOption=1`, BATON_LOG_LEVEL: 'debug' },
    });
    await register(orchestrator.api, [{ name: 'stamp', retryCount: 0 }], [workflow('redacted_flow').tasks(simple('stamp', 'stamp')).build()]);
    worker = createWorker({ taskType: 'stamp', natsUrl, natsSecurity: {}, streams: false, handler: async () => ({ stamped: true }) });
    await worker.start();
    const id = await start(orchestrator.api, 'redacted_flow');
    await waitForStatus(orchestrator.api, id, 'COMPLETED');
    const health = await orchestrator.api.request('GET', '/health');
    const metrics = await orchestrator.api.request('GET', '/metrics');
    await worker.stop();
    worker = undefined;
    await orchestrator.handle.stop();

    const startLine = `(store esdb://admin:***@127.0.0.1:${esdb.port}?tls=false&unknownOption=1, NATS nats://u:***@127.0.0.1:${nats.port})`;
    const output = await outputOnceWritten(orchestrator.handle.logFile, (text) => text.includes(startLine));
    // The EventStoreDB client's own console warning about the unknown option quotes the connection string.
    expect(output).toContain(`Unknown option key "unknownOption"`);
    expect(output).toContain(`esdb://admin:***@127.0.0.1:${esdb.port}?tls=false&unknownOption=1\n`);
    expect(output).not.toContain('secret');
    expect(health.text).not.toContain('secret');
    expect(metrics.text).not.toContain('secret');
  });

  it('given a wrong NATS password and a bad read-model URL with a password, when the orchestrator fails to start, then its error output names the problem without the password', async () => {
    const refused = startNode('orchestrator-refused', 'apps/orchestrator/src/main.js', {
      logDir: path.join(dir, 'logs'),
      env: { BATON_HTTP_PORT: String(await freePort()), BATON_HTTP_HOST: '127.0.0.1', BATON_DATA_DIR: dir, BATON_NATS_URL: `nats://u:wrong-secret@127.0.0.1:${nats.port}` },
    });
    const misconfigured = startNode('orchestrator-misconfigured', 'apps/orchestrator/src/main.js', {
      logDir: path.join(dir, 'logs'),
      env: { BATON_DATA_DIR: dir, BATON_READ_MODEL: `mysql://baton:${ESDB_PASSWORD}@db/baton` },
    });

    expect(await refused.exited).toBe(1);
    expect(await misconfigured.exited).toBe(1);

    const refusedOutput = await outputOnceWritten(refused.logFile, (text) => /Authorization Violation/i.test(text));
    expect(refusedOutput).not.toContain('secret');
    const misconfiguredOutput = await outputOnceWritten(misconfigured.logFile, (text) => text.includes('BATON_READ_MODEL must be sqlite:<file> or a postgres:// URL, got "mysql://baton:***@db/baton"'));
    expect(misconfiguredOutput).not.toContain('secret');
  });
});
