import { Events, type NatsConnection, type Status } from 'nats';
import { dlqSubject, resultSubject, taskSubject, workerDurable, type MessagingLogger } from '@app/messaging';

/** True when a subject NATS refused belongs to this task type's worker (its commands, results, dead letters or durable). */
export function isWorkerSubject(subject: string, taskType: string): boolean {
  const command = taskSubject(taskType);
  return subject === command || subject === resultSubject(taskType) || subject === dlqSubject(command) || subject.split('.').includes(workerDurable(taskType));
}

/**
 * Logs, as errors, the permission violations NATS reports for a worker's own subjects, until
 * stopped or the connection closes. Without it a worker whose NATS user lacks a permission only
 * sees its requests time out and retries without end; the server's refusal names the subject.
 */
export function reportPermissionViolations(connection: NatsConnection, taskType: string, workerId: string, logger: MessagingLogger): { stop(): void } {
  // The client's status iterator can be stopped, though its type does not say so.
  const statuses = connection.status() as AsyncIterable<Status> & { stop?: () => void };
  void (async () => {
    for await (const status of statuses) {
      const context = (status as { permissionContext?: { operation: string; subject: string } }).permissionContext;
      if (status.type !== Events.Error || !context || !isWorkerSubject(context.subject, taskType)) continue;
      logger.error(`worker ${workerId}: NATS refused ${context.operation} on "${context.subject}" (permissions violation): its NATS user needs that permission (docs/nats-permissions.md)`);
    }
  })();
  return { stop: () => statuses.stop?.() };
}
