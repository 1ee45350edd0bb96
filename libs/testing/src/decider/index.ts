export * from './decider-spec';
export * from './execution-fixtures';
export * from './system-task-loop';
