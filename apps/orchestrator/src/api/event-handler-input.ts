import { InvalidDefinitionError } from '../executions/orchestrator.errors';
import { withDefaults, type EventHandlerDef } from '../event-handlers/event-handler-def';
import { eventHandlerProblems } from '../event-handlers/event-handler-validator';
import { EventHandlerDto } from './dto/event-handler.dto';
import { problemsOf } from './validation';

/**
 * A request body as an event handler with Conductor's defaults, or {@link InvalidDefinitionError}
 * (400 `INVALID_DEFINITION`) listing every problem with its path: the shape's (class-validator)
 * and the semantic ones (event syntax, condition, the block each action needs), one per path.
 *
 * @example
 * checkedEventHandler({ name: 'h', event: 'jsm:orders.ready', actions: [{ action: 'start_workflow', start_workflow: { name: 'fulfil' } }] });
 * // { name: 'h', event: 'jsm:orders.ready', active: false, evaluatorType: 'javascript', actions: [...] }
 */
export function checkedEventHandler(body: unknown): EventHandlerDef {
  const shape = problemsOf(EventHandlerDto, body);
  const semantic = shape.some((p) => p.path === '') ? [] : eventHandlerProblems(body);
  const problems = [...shape, ...semantic.filter((s) => !shape.some((p) => p.path === s.path))];
  if (problems.length > 0) throw new InvalidDefinitionError(problems, 'event handler');
  return withDefaults(body as EventHandlerDef);
}

/**
 * One handler or a non-empty list of them (Conductor's SDKs post `[handler]`), every one checked
 * before any is used; problems of a list are prefixed with the index (`[1].event`).
 */
export function checkedEventHandlers(body: unknown): EventHandlerDef[] {
  if (!Array.isArray(body)) return [checkedEventHandler(body)];
  if (body.length === 0) throw new InvalidDefinitionError([{ path: '', message: 'the list of event handlers is empty' }], 'event handler');
  const problems: { path: string; message: string }[] = [];
  const handlers = body.flatMap((item: unknown, i) => {
    try {
      return [checkedEventHandler(item)];
    } catch (error) {
      if (!(error instanceof InvalidDefinitionError)) throw error;
      problems.push(...error.problems.map((problem) => ({ ...problem, path: `[${i}]${problem.path ? `.${problem.path}` : ''}` })));
      return [];
    }
  });
  if (problems.length > 0) throw new InvalidDefinitionError(problems, 'event handler');
  return handlers;
}
