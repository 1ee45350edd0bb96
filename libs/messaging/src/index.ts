export * from './contract/subjects';
export * from './contract/task-command.message';
export * from './contract/task-result.message';
