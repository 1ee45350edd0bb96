export * from './event-store.port';
export * from './event-store.errors';
export * from './hash-chain';
export * from './memory/in-memory-event-store';
export * from './sqlite/sqlite-event-store';
export * from './esdb';
export * from './append-chained';
export * from './event-store-url';
