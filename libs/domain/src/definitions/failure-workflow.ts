import type { WorkflowDef } from './workflow-def';

/** `$workflow.input.<key>` (Conductor's form) or `${workflow.input.<key>}`: the failure workflow's name is a workflow input. */
const FROM_INPUT = /^\$(?:workflow\.input\.([A-Za-z0-9_-]+)|\{workflow\.input\.([A-Za-z0-9_-]+)\})$/;

/** Why a `failureWorkflow` value cannot be used, or undefined: empty (none), a workflow name, or a workflow input reference. */
export function failureWorkflowProblem(value: unknown, namePattern: RegExp): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') return 'must be the name of a workflow definition';
  if (value.startsWith('$')) return FROM_INPUT.test(value) ? undefined : 'an expression here must be "$workflow.input.<key>" or "${workflow.input.<key>}"';
  return namePattern.test(value) ? undefined : 'must be the name of a workflow definition';
}

/**
 * The failure workflow an execution of `definition` with `input` names: none for an absent or
 * empty value (what SDK builders send), a workflow input's value for `$workflow.input.<key>` /
 * `${workflow.input.<key>}` (none when that input is not a non-empty string), else the name.
 */
export function failureWorkflowOf(definition: WorkflowDef, input: Readonly<Record<string, unknown>>): string | undefined {
  const value = definition.failureWorkflow;
  if (typeof value !== 'string' || value === '') return undefined;
  const match = FROM_INPUT.exec(value);
  if (!match) return value.startsWith('$') ? undefined : value;
  const named = input[(match[1] ?? match[2])!];
  return typeof named === 'string' && named !== '' ? named : undefined;
}
