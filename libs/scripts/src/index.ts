/**
 * Sandboxed engines of the orchestrator's in-process system tasks: JavaScript (QuickJS) for
 * INLINE and LAMBDA, jq for JSON_JQ_TRANSFORM. Both run untrusted code bounded in time and memory.
 */
export * from './script-engine';
export * from './jq-engine';
export * from './script-task';
