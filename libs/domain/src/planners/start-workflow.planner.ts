import type { WorkflowTask } from '../definitions/workflow-def';
import type { AttemptInfo, FlowControl, TaskPlanner } from './task-planner';

/**
 * START_WORKFLOW: starts another workflow and does not wait for it (Conductor's fire-and-forget
 * child: no parent link, the parent never hears of its end). The orchestrator starts it from
 * `input.startWorkflow` (`name`, `version`, `input`, `correlationId`) and completes this task with
 * `{ workflowId }`. A missing or nameless `startWorkflow` fails the task here, as Conductor does.
 */
export class StartWorkflowPlanner implements TaskPlanner {
  readonly taskTypes = ['START_WORKFLOW'] as const;

  schedule(flow: FlowControl, task: WorkflowTask, attempt: AttemptInfo): void {
    const input = flow.resolveInput(task);
    const taskId = flow.emitScheduled(task, input, attempt);
    const problem = startWorkflowProblem(input);
    if (problem === undefined) return;
    flow.builder.emit({ type: 'TaskFailed', data: { taskId, reason: problem, terminal: false, at: flow.builder.now } });
    flow.failed(taskId);
  }
}

/** What Baton needs to start the workflow, read from a START_WORKFLOW task's resolved input. */
export interface StartWorkflowRequestInput {
  readonly name: string;
  readonly version?: number;
  readonly input: Readonly<Record<string, unknown>>;
  readonly correlationId?: string;
}

/** Why a START_WORKFLOW input cannot start anything (Conductor's messages), or undefined. */
export function startWorkflowProblem(input: Readonly<Record<string, unknown>>): string | undefined {
  const request = input['startWorkflow'];
  if (request === undefined || request === null) return "Missing 'startWorkflow' in input data.";
  if (!isRecord(request)) return "startWorkflow validation failed. 'startWorkflow' -> must be an object. ";
  if (typeof request['name'] !== 'string' || request['name'].trim() === '') return "startWorkflow validation failed. 'name' -> must not be empty. ";
  const version = request['version'];
  if (version !== undefined && version !== null && !(Number.isInteger(version) && (version as number) >= 0)) return "startWorkflow validation failed. 'version' -> must be an integer. ";
  if (request['input'] !== undefined && request['input'] !== null && !isRecord(request['input'])) return "startWorkflow validation failed. 'input' -> must be an object. ";
  return undefined;
}

/** The start request of a START_WORKFLOW input that {@link startWorkflowProblem} accepted. */
export function startWorkflowRequestOf(input: Readonly<Record<string, unknown>>, parentCorrelationId?: string): StartWorkflowRequestInput {
  const request = input['startWorkflow'] as Record<string, unknown>;
  const version = request['version'];
  const correlationId = typeof request['correlationId'] === 'string' && request['correlationId'].trim() !== '' ? request['correlationId'] : parentCorrelationId;
  return {
    name: request['name'] as string,
    // Conductor: version 0 or absent means the latest.
    ...(typeof version === 'number' && version > 0 ? { version } : {}),
    input: isRecord(request['input']) ? request['input'] : {},
    ...(correlationId !== undefined ? { correlationId } : {}),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
