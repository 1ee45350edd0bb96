export * from './workflow-test-request';
export * from './flow-engine';
export * from './flow-expectation';
export * from './flow-cases';
export * from './flow-test.builder';
