import { IN_PROCESS_TASK_TYPES } from '../planners/in-process.planner';

/**
 * Task types whose results come from outside the decider — workers, signals, a child
 * execution's end, the orchestrator's own effects (EVENT publishing, START_WORKFLOW) and its
 * in-process runners (HTTP, scripts, jq) — so they take task results; the other system tasks
 * complete themselves while the decider runs.
 */
export const EXTERNAL_TASK_TYPES: ReadonlySet<string> = new Set(['SIMPLE', 'WAIT', 'SUB_WORKFLOW', 'EVENT', 'HUMAN', 'START_WORKFLOW', ...IN_PROCESS_TASK_TYPES]);
