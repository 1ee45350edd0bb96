export { BatonTask } from './baton-task.decorator';
export * from './baton-worker.module';
export * from './baton-worker.options';
export * from './baton-worker.registry';
export * from './create-worker';
export * from './task.context';
export * from './terminal.error';
