import { Injectable, Logger } from '@nestjs/common';
import { isBatonError } from '@app/domain';
import { EventHandlerProcessor } from './event-handler-processor.service';
import { EventHandlerRegistry } from './event-handler-registry.service';

/**
 * Conductor's own event queue (`conductor:` sinks): an EVENT task's payload goes straight to the
 * active event handlers whose `event` is the expanded queue name, in process — no NATS subject.
 * The caller (the EVENT task reaction, driven by the log) re-runs a delivery after a crash, so the
 * message identity is the task id and every delivery counts as a possible redelivery: actions
 * already stored are not applied twice.
 */
@Injectable()
export class ConductorQueue {
  private readonly logger = new Logger('EventHandlers');

  constructor(
    private readonly registry: EventHandlerRegistry,
    private readonly processor: EventHandlerProcessor,
  ) {}

  /**
   * Runs `payload` through every active handler of `queue` (`conductor:<workflow>:<event>`); resolves
   * with their names once their effects are stored. A handler whose actions can never apply is
   * logged and skipped (there is no message to dead-letter: the EVENT task's history holds the
   * payload); a retryable failure (store unreachable) is thrown for the caller to retry.
   */
  async deliver(queue: string, payload: Record<string, unknown>, messageId: string): Promise<string[]> {
    const handlers = this.registry.list().filter((handler) => handler.active && handler.event === queue);
    const message = { provider: 'conductor' as const, subject: queue.slice('conductor:'.length), key: `msg:${messageId}`, messageId, deliveryCount: 2 };
    for (const handler of handlers) {
      try {
        await this.processor.process(handler.name, handler.event, payload, message);
      } catch (error) {
        if (!isBatonError(error) || error.retryable) throw error;
        this.logger.warn(`event handler ${handler.name} on ${queue}: ${error.message}`);
      }
    }
    return handlers.map((handler) => handler.name);
  }
}

/**
 * The queue a `conductor` sink of an EVENT task names: `conductor` → `conductor:<workflow>:<taskRef>`,
 * `conductor:<event>` → `conductor:<workflow>:<event>` (Conductor's expansion), and
 * `conductor:<workflow>:<event>` as given (Baton: a queue of another workflow's handlers).
 */
export function conductorQueueOf(sink: string, workflowName: string, taskRefName: string): string {
  const parts = sink.split(':');
  if (parts.length === 1) return `conductor:${workflowName}:${taskRefName}`;
  if (parts.length === 2) return `conductor:${workflowName}:${parts[1]}`;
  return sink;
}
