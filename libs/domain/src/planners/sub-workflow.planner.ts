import type { SubWorkflowParam, WorkflowDef, WorkflowTask } from '../definitions/workflow-def';
import type { ResolvedSubWorkflow } from '../execution/execution-events';
import type { AttemptInfo, FlowControl, TaskPlanner } from './task-planner';

/**
 * SUB_WORKFLOW: in progress while its child execution runs. The orchestrator starts the child
 * (`subWorkflowParam`, this task's inputs as its input) and reports the child's end back as
 * this task's result. A `subWorkflowParam` with expressions (`name`, `version`) or an inline
 * `workflowDefinition` is resolved here and recorded on TaskScheduled, so replays and the
 * orchestrator see the same child; one that resolves to nothing usable fails the task for good.
 */
export class SubWorkflowPlanner implements TaskPlanner {
  readonly taskTypes = ['SUB_WORKFLOW'] as const;

  constructor(private readonly definitionProblems: (definition: WorkflowDef) => readonly string[]) {}

  schedule(flow: FlowControl, task: WorkflowTask, attempt: AttemptInfo): void {
    const param = task.subWorkflowParam ?? {};
    const input = flow.resolveInput(task);
    if (!needsResolving(param)) {
      flow.emitScheduled(task, input, attempt);
      return;
    }
    const resolved = this.resolve(flow, param);
    if (typeof resolved === 'string') {
      const taskId = flow.emitScheduled(task, input, attempt);
      flow.builder.emit({ type: 'TaskFailed', data: { taskId, reason: `SUB_WORKFLOW ${task.taskReferenceName}: ${resolved}`, terminal: true, at: flow.builder.now } });
      flow.failed(taskId);
      return;
    }
    flow.emitScheduled(task, input, attempt, { subWorkflow: resolved });
  }

  /** The child to run, or why there is none. */
  private resolve(flow: FlowControl, param: SubWorkflowParam): ResolvedSubWorkflow | string {
    const inline = param.workflowDefinition === undefined ? undefined : flow.resolveValue(param.workflowDefinition);
    if (inline !== undefined && inline !== null) {
      if (typeof inline !== 'object' || Array.isArray(inline)) return `workflowDefinition resolved to ${JSON.stringify(inline)}, not a workflow definition`;
      const definition = inline as WorkflowDef;
      const problems = this.definitionProblems(definition);
      if (problems.length > 0) return `its inline workflowDefinition is not valid: ${problems.join('; ')}`;
      return { name: definition.name, version: definition.version ?? 1, definition };
    }
    const name = flow.resolveValue(param.name);
    if (typeof name !== 'string' || name.trim() === '') return `subWorkflowParam.name resolved to ${JSON.stringify(name)}, not a workflow name`;
    const version = flow.resolveValue(param.version);
    if (version === undefined || version === null || version === '' || version === 0) return { name };
    const number = typeof version === 'string' ? Number(version) : version;
    if (typeof number !== 'number' || !Number.isInteger(number) || number < 0) return `subWorkflowParam.version resolved to ${JSON.stringify(version)}, not a version number`;
    return number === 0 ? { name } : { name, version: number };
  }
}

/** A param whose child is only known at run time (expressions) or is given inline. */
function needsResolving(param: SubWorkflowParam): boolean {
  return param.workflowDefinition !== undefined || isExpression(param.name) || isExpression(param.version);
}

function isExpression(value: unknown): boolean {
  return typeof value === 'string' && value.includes('${');
}
