import { BatonError, type ErrorCode } from '@app/domain';

declare module '@app/domain' {
  interface BatonErrorCodes {
    EVENT_HANDLER_NOT_FOUND: true;
    EVENT_HANDLER_EXISTS: true;
    /** An action that names no execution or task this event can reach. */
    EVENT_ACTION_UNRESOLVED: true;
    EVENT_ACTION_FAILED: true;
  }
}

/** No event handler with this name (404). */
export class EventHandlerNotFoundError extends BatonError {
  constructor(name: string) {
    super('EVENT_HANDLER_NOT_FOUND', `no event handler named ${name}`, { details: { name } });
  }
}

/** POST of a handler whose name is taken (409; PUT updates it). */
export class EventHandlerExistsError extends BatonError {
  constructor(name: string) {
    super('EVENT_HANDLER_EXISTS', `an event handler named ${name} already exists; use PUT /api/event to update it`, { details: { name } });
  }
}

/**
 * An event some of whose actions could not be applied and never will be (an unknown execution or
 * task, a missing workflow definition, a payload without the fields a template needs). Not
 * retryable: the message is dead-lettered with `code` (the first failure's) and every reason.
 */
export class EventActionsFailedError extends BatonError {
  constructor(
    handler: string,
    readonly failures: readonly { readonly index: number; readonly code: ErrorCode; readonly reason: string }[],
  ) {
    super(failures[0]?.code ?? 'EVENT_ACTION_FAILED', `event handler ${handler}: ${failures.map((f) => `actions[${f.index}]: ${f.code}: ${f.reason}`).join('; ')}`, {
      retryable: false,
      details: { handler, failures },
    });
  }
}
