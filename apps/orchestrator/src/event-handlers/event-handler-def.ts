/**
 * Conductor's EventHandler JSON: when an event arrives on `event` and `condition` holds for its
 * payload, run `actions`. Stored as given (plus the defaults below) in `handler-<name>` streams.
 */

/** What an action does: start an execution, or complete / fail a task of a running one. */
export const EVENT_HANDLER_ACTIONS = ['start_workflow', 'complete_task', 'fail_task'] as const;
export type EventHandlerActionType = (typeof EVENT_HANDLER_ACTIONS)[number];

/**
 * Where events come from: `jsm:` a JetStream stream (durable, at least once), `nats:` core NATS
 * (at most once), `conductor:` Conductor's own queue — EVENT tasks with a `conductor` sink,
 * delivered in process (`conductor:<workflow>:<event>`).
 */
export const EVENT_PROVIDERS = ['jsm', 'nats', 'conductor'] as const;
export type EventProvider = (typeof EVENT_PROVIDERS)[number];

/** Conductor's default: a condition is JavaScript unless the handler says otherwise. */
export const DEFAULT_EVALUATOR_TYPE = 'javascript';

/** `start_workflow` parameters; strings may hold `${path}` references into the event payload. */
export interface StartWorkflowParams {
  readonly name: string;
  readonly version?: number;
  readonly correlationId?: string;
  readonly input?: Readonly<Record<string, unknown>>;
  /** Starts at most one execution per key (RETURN_EXISTING); derived from the message when absent. */
  readonly idempotencyKey?: string;
  /** Accepted for Conductor compatibility; Baton routes by task type only. */
  readonly taskToDomain?: Readonly<Record<string, string>>;
}

/** Conductor's TaskDetails: which task (`workflowId` + `taskRefName`, or `workflowId` + `taskId`) and its output. */
export interface TaskDetails {
  readonly workflowId: string;
  readonly taskRefName?: string;
  readonly taskId?: string;
  readonly output?: Readonly<Record<string, unknown>>;
}

/** One action of a handler; the block named by `action` must be present. */
export interface EventHandlerAction {
  readonly action: EventHandlerActionType;
  readonly start_workflow?: StartWorkflowParams;
  readonly complete_task?: TaskDetails;
  readonly fail_task?: TaskDetails;
  /** Parse string fields of the payload that hold JSON before resolving this action's templates (Conductor's JsonUtils.expand). */
  readonly expandInlineJSON?: boolean;
}

/** A stored event handler. */
export interface EventHandlerDef {
  readonly name: string;
  /** `jsm:<subject>` or `nats:<subject>` (the subject may use `*` and `>` wildcards), or `conductor:<workflow>:<event>`. */
  readonly event: string;
  /** Evaluated against the payload bound as `$`; empty or absent matches every event. */
  readonly condition?: string;
  /** `javascript` (default), `graaljs` (the same evaluator) or `value-param`. */
  readonly evaluatorType?: string;
  /** Conductor's default is false: a handler does nothing until activated. */
  readonly active: boolean;
  readonly actions: readonly EventHandlerAction[];
  readonly description?: string;
}

/** The provider and subject of an `event` string, or undefined when it has neither form. */
export function parseEvent(event: string): { provider: EventProvider; subject: string } | undefined {
  const colon = event.indexOf(':');
  if (colon < 0) return undefined;
  const provider = event.slice(0, colon);
  if (!(EVENT_PROVIDERS as readonly string[]).includes(provider)) return undefined;
  return { provider: provider as EventProvider, subject: event.slice(colon + 1) };
}

/** The durable consumer (`jsm:`) or queue group (`nats:`) a handler's replicas share. */
export const handlerDurable = (name: string): string => `baton-handler-${name}`;

/** Fills in Conductor's defaults (`active: false`, `evaluatorType: javascript`) on a validated handler. */
export function withDefaults(handler: Omit<EventHandlerDef, 'active'> & { active?: boolean }): EventHandlerDef {
  return { ...handler, active: handler.active ?? false, evaluatorType: handler.evaluatorType ?? DEFAULT_EVALUATOR_TYPE };
}
