import { isEvaluatorType, validateEvaluatorExpression, validateParameterTemplate, type DefinitionProblem } from '@app/domain';
import { DLQ_SUBJECT_PREFIX, RESULT_SUBJECT_PREFIX, TASK_SUBJECT_PREFIX } from '@app/messaging';
import { DEFAULT_EVALUATOR_TYPE, EVENT_HANDLER_ACTIONS, parseEvent } from './event-handler-def';
import { subjectProblem, subjectsOverlap } from './nats-subject';

/** Subjects a handler may not consume, with why: Baton's own work queues and its dead letters. */
const RESERVED_SUBJECTS: readonly { filter: string; providers: readonly string[]; why: string }[] = [
  { filter: `${TASK_SUBJECT_PREFIX}>`, providers: ['jsm'], why: "a durable on Baton's task work queue would take task commands away from the workers" },
  { filter: `${RESULT_SUBJECT_PREFIX}>`, providers: ['jsm'], why: "a durable on Baton's result work queue would take task results away from the orchestrator" },
  { filter: `${DLQ_SUBJECT_PREFIX}>`, providers: ['jsm', 'nats'], why: 'a handler of dead letters would dead-letter into its own subject' },
];

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The semantic problems of an event handler, each with its JSON path: an `event` that is not
 * `jsm:<subject>` / `nats:<subject>` with a valid subject (or names a subject Baton reserves), a
 * `condition` that does not parse, an action without the block its `action` names, a task action
 * without `workflowId` or without `taskRefName` / `taskId`, and `${...}` templates that do not
 * parse. Field types are the DTO's business; this tolerates any shape and never throws.
 *
 * @example
 * eventHandlerProblems({ name: 'h', event: 'kafka:orders', actions: [{ action: 'complete_task' }] });
 * // [{ path: 'event', message: "event must be 'jsm:<subject>' or 'nats:<subject>', got \"kafka:orders\"" },
 * //  { path: 'actions[0].complete_task', message: 'complete_task is required when action is complete_task' }]
 */
export function eventHandlerProblems(body: unknown): DefinitionProblem[] {
  if (!isObject(body)) return [{ path: '', message: 'an event handler must be a JSON object' }];
  const problems: DefinitionProblem[] = [];
  const add = (path: string, message: string) => problems.push({ path, message });
  if (typeof body.event === 'string') eventProblems(body.event).forEach((message) => add('event', message));
  if (typeof body.condition === 'string' && body.condition.trim() !== '') {
    const evaluatorType = body.evaluatorType ?? DEFAULT_EVALUATOR_TYPE;
    if (isEvaluatorType(evaluatorType)) validateEvaluatorExpression(evaluatorType, body.condition).forEach((message) => add('condition', `condition does not parse: ${message}`));
  }
  if (Array.isArray(body.actions)) body.actions.forEach((action, i) => actionProblems(action, `actions[${i}]`, add));
  return problems;
}

function eventProblems(event: string): string[] {
  const parsed = parseEvent(event);
  if (!parsed) return [`event must be 'jsm:<subject>' or 'nats:<subject>' (or 'conductor:<workflow>:<event>' for EVENT tasks' conductor sinks), got "${event}"`];
  if (parsed.provider === 'conductor') {
    return /^[A-Za-z0-9_-]+:[A-Za-z0-9_-]+$/.test(parsed.subject) ? [] : [`event ${event}: a conductor queue is conductor:<workflow>:<event> (letters, digits, "_", "-"), the name an EVENT task's conductor sink expands to`];
  }
  const syntax = subjectProblem(parsed.subject);
  if (syntax) return [`event ${syntax}`];
  return RESERVED_SUBJECTS.filter((reserved) => reserved.providers.includes(parsed.provider) && subjectsOverlap(parsed.subject, reserved.filter)).map(
    (reserved) => `event ${event} overlaps ${reserved.filter}, which Baton reserves: ${reserved.why}`,
  );
}

function actionProblems(action: unknown, path: string, add: (path: string, message: string) => void): void {
  if (!isObject(action) || !(EVENT_HANDLER_ACTIONS as readonly unknown[]).includes(action.action)) return; // the DTO names these
  const type = action.action as string;
  const block = action[type];
  if (block === undefined || block === null) return add(`${path}.${type}`, `${type} is required when action is ${type}`);
  if (!isObject(block)) return;
  const at = `${path}.${type}`;
  if (type === 'start_workflow') {
    for (const field of ['correlationId', 'idempotencyKey', 'input']) templateProblems(block[field], `${at}.${field}`, add);
    return;
  }
  if (typeof block.workflowId !== 'string' || block.workflowId.trim() === '') add(`${at}.workflowId`, 'workflowId is required (the execution whose task to update)');
  const named = (field: string) => typeof block[field] === 'string' && (block[field] as string).trim() !== '';
  if (!named('taskRefName') && !named('taskId')) add(`${at}.taskRefName`, 'taskRefName or taskId is required (which task to update)');
  for (const field of ['workflowId', 'taskRefName', 'taskId', 'output']) templateProblems(block[field], `${at}.${field}`, add);
}

function templateProblems(template: unknown, path: string, add: (path: string, message: string) => void): void {
  if (template === undefined) return;
  for (const problem of validateParameterTemplate(template)) add(path, problem);
}
