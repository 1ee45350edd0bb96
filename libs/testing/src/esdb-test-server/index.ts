export { EsdbTestServer, type EsdbTestServerOptions, type RpcName } from './esdb-test.server';
