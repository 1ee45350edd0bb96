export * from './errors/baton-error';
