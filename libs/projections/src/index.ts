// Runner
export * from './runner/projection';
export * from './runner/projection-runner';
export * from './runner/composite.projection';
export * from './runner/projection.errors';
export { CheckpointRepository, type StoredCheckpoint } from './runner/checkpoint.repository';
export * from './runner/quarantine.repository';
export { comparePositions } from './runner/position';
export type { RetryPolicy } from './runner/retry-backoff';
export { batchesOf, type SubscriptionBatch } from './runner/subscription-batches';

// Read-model database
export * from './read-model/read-model-db';
export * from './read-model/read-model.schema';
export { migrateReadModel } from './read-model/read-model.migrations';
export { parseReadModelUrl, type ReadModelLocation } from './read-model/read-model-url';
export * from './read-model/orchestrator-read-models';

// Projections and their queries
export * from './execution-index/execution-index.projection';
export * from './execution-index/execution-index.repository';
export * from './execution-index/execution-index.types';
export { InvalidSearchError } from './execution-index/execution-search';
export * from './task-executions/task-executions.projection';
export * from './task-executions/task-executions.repository';
export * from './task-executions/task-search';
