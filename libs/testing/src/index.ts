export * from './event-store-contract';
export * from './esdb-test-server';
export * from '@app/flow-testing';
export * from './histories/stored-histories';
