import { Server, ServerCredentials } from '@grpc/grpc-js';
import { StreamsService } from '@eventstore/db-client/generated/streams_grpc_pb';
import { ServerFeaturesService } from '@eventstore/db-client/generated/serverfeatures_grpc_pb';
import { appendHandler, batchAppendHandler } from './append.handler';
import { deleteHandler, tombstoneHandler } from './delete.handler';
import { EventLog } from './event-log.storage';
import { type Outbox, readHandler } from './read.handler';
import { serverFeaturesHandler } from './server-features.handler';
import { useKestrelHttp2Windows } from './kestrel-http2-windows';

export type RpcName = 'read' | 'append' | 'batchAppend' | 'delete' | 'tombstone' | 'getSupportedMethods';

export interface EsdbTestServerOptions {
  /** TCP port on 127.0.0.1; 0 (default) picks a free one, kept across stop/start. */
  readonly port?: number;
  /** Advertise `Streams.BatchAppend` (default true, as real servers since 21.10 do). */
  readonly batchAppend?: boolean;
  /** Answer `ServerFeatures.GetSupportedMethods` with UNIMPLEMENTED, like a pre-21.10 server. */
  readonly featuresUnimplemented?: boolean;
  /** Mirror the log to this JSON-lines file so a new server process keeps the data. */
  readonly dataFile?: string;
}

/**
 * A protocol-compatible EventStoreDB server for tests: the real `@eventstore/db-client` talks to it
 * over gRPC/HTTP2. Data lives in memory (optionally mirrored to a file) and survives `stop()`/`start()`,
 * which simulate an outage on the same port. Test support only: never import it from product code.
 *
 * @example
 * const server = await EsdbTestServer.start({ batchAppend: false });
 * const client = EventStoreDBClient.connectionString(server.connectionString);
 * await server.stop();   // clients now see UNAVAILABLE, live subscriptions are cut
 * await server.start();  // same port, same data
 * await server.close();
 */
export class EsdbTestServer {
  private server?: Server;
  private closed = false;
  private readonly subscriptions = new Set<Outbox>();
  /** Calls received per RPC since creation: lets tests prove which append path the client took. */
  readonly calls: Record<RpcName, number> = { read: 0, append: 0, batchAppend: 0, delete: 0, tombstone: 0, getSupportedMethods: 0 };

  private constructor(
    private readonly log: EventLog,
    private readonly options: EsdbTestServerOptions,
    private boundPort: number,
  ) {}

  private counted<TArgs extends unknown[]>(name: RpcName, handler: (...args: TArgs) => void): (...args: TArgs) => void {
    return (...args) => {
      this.calls[name]++;
      handler(...args);
    };
  }

  /** Creates a server and starts it. */
  static async start(options: EsdbTestServerOptions = {}): Promise<EsdbTestServer> {
    const server = new EsdbTestServer(new EventLog(options.dataFile), options, options.port ?? 0);
    await server.start();
    return server;
  }

  get port(): number {
    return this.boundPort;
  }

  /** `esdb://127.0.0.1:<port>?tls=false` */
  get connectionString(): string {
    return `esdb://127.0.0.1:${this.boundPort}?tls=false`;
  }

  /** Live subscriptions whose reader does not keep up (the server is waiting for HTTP/2 flow control). */
  get stalledSubscriptions(): number {
    return [...this.subscriptions].filter((subscription) => subscription.stalled).length;
  }

  get running(): boolean {
    return this.server !== undefined;
  }

  /** (Re)opens the port after {@link stop}; the data is kept. */
  async start(): Promise<void> {
    if (this.closed) throw new Error('EsdbTestServer is closed');
    if (this.server) return;
    useKestrelHttp2Windows();
    const server = new Server({ 'grpc.max_receive_message_length': 20 * 1024 * 1024 });
    server.addService(StreamsService, {
      read: this.counted('read', readHandler(this.log, this.subscriptions)),
      append: this.counted('append', appendHandler(this.log)),
      batchAppend: this.counted('batchAppend', batchAppendHandler(this.log)),
      delete: this.counted('delete', deleteHandler(this.log)),
      tombstone: this.counted('tombstone', tombstoneHandler(this.log)),
    });
    const features = { batchAppend: this.options.batchAppend ?? true, unimplemented: this.options.featuresUnimplemented ?? false };
    server.addService(ServerFeaturesService, { getSupportedMethods: this.counted('getSupportedMethods', serverFeaturesHandler(features)) });
    this.boundPort = await bind(server, this.boundPort);
    this.server = server;
    this.log.writeEpoch();
  }

  /** Simulated outage: cuts live subscriptions, drops connections and refuses new ones. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    for (const subscription of this.subscriptions) subscription.close();
    server.forceShutdown();
    this.log.flush();
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** Stops for good and flushes the data file. */
  async close(): Promise<void> {
    await this.stop();
    this.closed = true;
    this.log.flush();
  }
}

async function bind(server: Server, port: number): Promise<number> {
  // Right after a stop the old listener may still hold the port for a moment: retry, bounded.
  for (let attempt = 0; ; attempt++) {
    try {
      return await new Promise<number>((resolve, reject) =>
        server.bindAsync(`127.0.0.1:${port}`, ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
      );
    } catch (error) {
      if (port === 0 || attempt >= 50) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}
