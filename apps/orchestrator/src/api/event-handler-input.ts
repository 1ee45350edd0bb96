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
