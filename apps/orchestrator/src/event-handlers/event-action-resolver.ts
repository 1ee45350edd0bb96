import { assertNever, expandJsonStrings, interpolationText, resolveTemplate, type ApplyTaskResult, type CompleteTaskByRef } from '@app/domain';
import type { StartRequest } from '../executions/execution.service';
import type { EventHandlerAction, EventHandlerDef, TaskDetails } from './event-handler-def';
import type { EventMessage } from './event-message';

/** Longest correlation id and idempotency key a start accepts (as over HTTP). */
const MAX_CORRELATION_ID = 256;
const MAX_IDEMPOTENCY_KEY = 512;

/** Code of an action the event's payload cannot fill in (a template resolved to nothing). */
export const EVENT_ACTION_UNRESOLVED = 'EVENT_ACTION_UNRESOLVED';

/** What every resolved action carries: its position and the causation id its events get. */
interface ResolvedBase {
  /** Index in the handler's `actions`. */
  readonly index: number;
  /** `event:<handler>:<index>:<message key>`: the same on every redelivery. */
  readonly causationId: string;
}

/** An action ready to run against the execution service. */
export type ResolvedEventAction =
  | (ResolvedBase & { readonly kind: 'start'; readonly request: StartRequest })
  | (ResolvedBase & { readonly kind: 'task'; readonly executionId: string; readonly command: ApplyTaskResult | CompleteTaskByRef })
  | (ResolvedBase & { readonly kind: 'unresolved'; readonly code: typeof EVENT_ACTION_UNRESOLVED; readonly reason: string });

/**
 * Resolves a handler's actions against an event payload, as Conductor's SimpleActionProcessor
 * does: `${path}` references read the payload (`${orderId}` is `payload.orderId`), after
 * expanding JSON held in strings when the action asks (`expandInlineJSON`). Adds Conductor's
 * `conductor.event.messageId` and `conductor.event.name` to a started execution's input and to a
 * task's output.
 *
 * A start gets RETURN_EXISTING with the action's `idempotencyKey` (resolved), or else a key
 * derived from the handler, the action and the message, so a redelivered event never starts a
 * second execution. An action whose required field resolves to nothing (no `workflowId` in the
 * payload, say) comes back `unresolved` with the reason.
 *
 * @example
 * resolveEventActions(handler, { orderId: 'o-1' }, message);
 * // [{ kind: 'start', index: 0, causationId: 'event:start_fulfilment:0:msg:abc',
 * //    request: { name: 'fulfil_order', correlationId: 'o-1', input: { orderId: 'o-1', … },
 * //               idempotencyKey: 'event:start_fulfilment:0:msg:abc', idempotencyStrategy: 'RETURN_EXISTING' } }]
 */
export function resolveEventActions(handler: EventHandlerDef, payload: unknown, message: EventMessage): ResolvedEventAction[] {
  return handler.actions.map((action, index) => resolveAction(handler, action, index, payload, message));
}

function resolveAction(handler: EventHandlerDef, action: EventHandlerAction, index: number, payload: unknown, message: EventMessage): ResolvedEventAction {
  const causationId = `event:${handler.name}:${index}:${message.key}`;
  const base = { index, causationId };
  const document = action.expandInlineJSON ? expandJsonStrings(payload) : payload;
  const eventFields = { 'conductor.event.messageId': message.messageId, 'conductor.event.name': handler.event };
  const unresolved = (reason: string): ResolvedEventAction => ({ ...base, kind: 'unresolved', code: EVENT_ACTION_UNRESOLVED, reason });

  switch (action.action) {
    case 'start_workflow': {
      const params = action.start_workflow!;
      const input = { ...(resolveTemplate(params.input ?? {}, document) as Record<string, unknown>), ...eventFields };
      const correlationId = params.correlationId === undefined ? undefined : textOf(resolveTemplate(params.correlationId, document));
      if (correlationId !== undefined && correlationId.length > MAX_CORRELATION_ID) return unresolved(`correlationId resolved to ${correlationId.length} characters, more than ${MAX_CORRELATION_ID}`);
      let idempotencyKey = causationId;
      if (params.idempotencyKey !== undefined) {
        const key = textOf(resolveTemplate(params.idempotencyKey, document));
        if (key === undefined) return unresolved(`idempotencyKey "${params.idempotencyKey}" resolved to nothing for this event`);
        if (key.length > MAX_IDEMPOTENCY_KEY) return unresolved(`idempotencyKey resolved to ${key.length} characters, more than ${MAX_IDEMPOTENCY_KEY}`);
        idempotencyKey = key;
      }
      const request: StartRequest = {
        name: params.name,
        ...(params.version !== undefined ? { version: params.version } : {}),
        ...(correlationId !== undefined ? { correlationId } : {}),
        input,
        idempotencyKey,
        idempotencyStrategy: 'RETURN_EXISTING',
      };
      return { ...base, kind: 'start', request };
    }
    case 'complete_task':
    case 'fail_task': {
      const details: TaskDetails = action.action === 'complete_task' ? action.complete_task! : action.fail_task!;
      const executionId = textOf(resolveTemplate(details.workflowId, document));
      if (executionId === undefined) return unresolved(`workflowId "${details.workflowId}" resolved to nothing for this event`);
      const taskId = details.taskId === undefined ? undefined : textOf(resolveTemplate(details.taskId, document));
      const taskRefName = details.taskRefName === undefined ? undefined : textOf(resolveTemplate(details.taskRefName, document));
      if (taskId === undefined && taskRefName === undefined) return unresolved(`neither taskId nor taskRefName resolved to a value for this event`);
      const output = { ...(resolveTemplate(details.output ?? {}, document) as Record<string, unknown>), ...eventFields };
      const result = {
        status: action.action === 'complete_task' ? ('COMPLETED' as const) : ('FAILED' as const),
        output,
        workerId: `event-handler:${handler.name}`,
        ...(action.action === 'fail_task' ? { reason: `failed by event handler ${handler.name} on ${message.subject}` } : {}),
      };
      const command: ApplyTaskResult | CompleteTaskByRef = taskId !== undefined ? { type: 'ApplyTaskResult', taskId, ...result } : { type: 'CompleteTaskByRef', taskRefName: taskRefName!, ...result };
      return { ...base, kind: 'task', executionId, command };
    }
    default:
      return assertNever(action.action, 'event handler action');
  }
}

/** A resolved value as text (numbers and booleans as printed, objects as JSON); nothing for null, undefined and "". */
function textOf(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  const text = typeof value === 'string' ? value : interpolationText(value);
  return text === '' ? undefined : text;
}
