import type { NatsConnection } from 'nats';
import { isNotFound, type MessagingLogger } from '@app/messaging';
import { handlerDurable, parseEvent, type EventHandlerDef } from './event-handler-def';

/**
 * Deletes the durables of handlers that are not active any more, or are active on another
 * subject: those deactivated, removed or moved while the replica that should have deleted the
 * durable crashed. Left in place, such a durable would replay everything published meanwhile
 * once the handler is activated again. Only the `baton-handler-<name>` durables of handlers this
 * deployment knows (current and removed) are looked at, on the streams that hold their subjects;
 * run at start, before this replica subscribes.
 */
export async function collectStaleDurables(
  connection: NatsConnection,
  handlers: { readonly current: readonly EventHandlerDef[]; readonly removed: readonly EventHandlerDef[] },
  logger: MessagingLogger,
): Promise<void> {
  const active = new Map(handlers.current.filter((handler) => handler.active).map((handler) => [handler.name, parseEvent(handler.event)]));
  const jsm = await connection.jetstreamManager({ checkAPI: false });
  for (const handler of [...handlers.current, ...handlers.removed]) {
    const parsed = parseEvent(handler.event);
    if (parsed?.provider !== 'jsm') continue;
    const wanted = active.get(handler.name);
    const durable = handlerDurable(handler.name);
    for await (const stream of jsm.streams.names(parsed.subject)) {
      let filter: string | undefined;
      try {
        filter = (await jsm.consumers.info(stream, durable)).config.filter_subject;
      } catch (error) {
        if (isNotFound(error)) continue;
        throw error;
      }
      if (wanted?.provider === 'jsm' && wanted.subject === filter) continue;
      try {
        await jsm.consumers.delete(stream, durable);
        logger.log(`deleted durable ${durable} on stream ${stream}: event handler ${handler.name} no longer consumes ${filter ?? parsed.subject} there`);
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    }
  }
}
