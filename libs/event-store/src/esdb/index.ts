export { EsdbEventStore, type EsdbEventStoreOptions } from './esdb-event-store';
export { translateEsdbError } from './esdb.errors';
