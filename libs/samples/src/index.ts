export * from './order-fulfilment.workflow';
export * from './orders';
export * from './run-workers';
export * from './http-json';
