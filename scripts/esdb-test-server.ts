/**
 * Runs the protocol-compatible EventStoreDB test server as its own process (local development and
 * tests that need the server out of process).
 *
 * @example
 * npm run esdb:test-server -- --port 2113 --data-file data/esdb.jsonl
 * # prints: esdb test server listening on esdb://127.0.0.1:2113?tls=false
 */
import { parseArgs } from 'node:util';
import { EsdbTestServer } from '@app/testing/esdb-test-server';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '2113' },
      'no-batch-append': { type: 'boolean', default: false },
      'data-file': { type: 'string' },
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`--port must be 0–65535, got ${values.port}`);
  const server = await EsdbTestServer.start({ port, batchAppend: !values['no-batch-append'], dataFile: values['data-file'] });
  process.stdout.write(`esdb test server listening on ${server.connectionString}\n`);

  let stopping = false;
  const shutdown = () => {
    if (stopping) return;
    stopping = true;
    // close() flushes the data file before the process goes.
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`esdb test server failed to stop: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

main().catch((error: unknown) => {
  process.stderr.write(`esdb test server failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
