import { BatonError } from '@app/domain';

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
    readonly failures: readonly { readonly index: number; readonly code: string; readonly reason: string }[],
  ) {
    super(failures[0]?.code ?? 'EVENT_ACTION_FAILED', `event handler ${handler}: ${failures.map((f) => `actions[${f.index}]: ${f.code}: ${f.reason}`).join('; ')}`, {
      retryable: false,
      details: { handler, failures },
    });
  }
}
