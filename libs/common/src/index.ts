export * from './timing';
export * from './api-tokens';
export * from './bounded-json';
export * from './fault-classification';
export * from './redaction';
