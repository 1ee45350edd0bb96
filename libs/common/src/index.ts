export * from './timing';
export * from './bounded-json';
export * from './fault-classification';
export * from './redaction';
