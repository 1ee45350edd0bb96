export * from './decider-spec';
export * from './execution-fixtures';
