import { startNode, type ChildHandle } from './child-process';
import { freePort } from './stack';

/** Options of {@link startEsdbTestServer}. */
export interface EsdbServerOptions {
  /** Where its log goes (`esdb-test-server.log`, or `<name>.log`). */
  readonly logDir: string;
  /** Default: a free port. Pass the previous process's port to restart "the same server". */
  readonly port?: number;
  /** JSON-lines file the server mirrors its log to, so a new process on it keeps the data. */
  readonly dataFile?: string;
  /** Appends over `Streams.Append` instead of `Streams.BatchAppend`. */
  readonly noBatchAppend?: boolean;
  /** Process (and log file) name; default `esdb-test-server`. */
  readonly name?: string;
}

/** The protocol-compatible EventStoreDB test server running as its own process. */
export interface EsdbServerProcess {
  readonly handle: ChildHandle;
  readonly port: number;
  /** `esdb://127.0.0.1:<port>?tls=false`: the orchestrator's `BATON_EVENT_STORE`. */
  readonly connectionString: string;
}

/**
 * Starts `scripts/esdb-test-server.js` in a separate process (so the orchestrator talks to it over
 * real gRPC, and a test can make it vanish) and waits until it listens.
 */
export async function startEsdbTestServer(options: EsdbServerOptions): Promise<EsdbServerProcess> {
  const port = options.port ?? (await freePort());
  const args = ['--port', String(port)];
  if (options.dataFile) args.push('--data-file', options.dataFile);
  if (options.noBatchAppend) args.push('--no-batch-append');
  const handle = startNode(options.name ?? 'esdb-test-server', 'scripts/esdb-test-server.js', { logDir: options.logDir, args });
  await Promise.race([
    handle.waitForLine(/listening on esdb:/),
    handle.exited.then((code) => Promise.reject(new Error(`esdb test server exited with ${code} before listening; see ${handle.logFile}`))),
  ]);
  return { handle, port, connectionString: `esdb://127.0.0.1:${port}?tls=false` };
}
