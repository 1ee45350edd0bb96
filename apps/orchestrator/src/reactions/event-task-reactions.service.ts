import { Inject, Injectable } from '@nestjs/common';
import type { NatsConnection } from 'nats';
import { executionEventRef, workflowTaskOf } from '@app/domain';
import type { RecordedEvent } from '@app/event-store';
import { JetStreamPublisher } from '@app/messaging';
import { ExecutionRepository } from '../executions/execution.repository';
import { ExecutionService } from '../executions/execution.service';
import { NATS_CONNECTION } from '../messaging/nats.providers';
import { ConductorQueue, conductorQueueOf } from '../event-handlers/conductor-queue.service';

const encoder = new TextEncoder();

/**
 * EVENT tasks, driven by the log: publishes the task's inputs to its sink — JetStream
 * (`jsm:`, Nats-Msg-Id = task id, so a republish after a crash is dropped), core NATS
 * (`nats:`, at most once per attempt) or Conductor's queue (`conductor:`, Baton's event handlers
 * in process) — then reports the task completed.
 */
@Injectable()
export class EventTaskReactions {
  constructor(
    private readonly repository: ExecutionRepository,
    private readonly executions: ExecutionService,
    @Inject(JetStreamPublisher) private readonly publisher: JetStreamPublisher,
    @Inject(NATS_CONNECTION) private readonly nats: NatsConnection,
    private readonly conductorQueue: ConductorQueue,
  ) {}

  async publish(executionId: string, event: RecordedEvent): Promise<void> {
    const scheduled = event.data as { taskId: string; taskRefName: string; input: Record<string, unknown> };
    const { state } = await this.repository.loadAtLeast(executionId, event.revision);
    const sink = workflowTaskOf(state, scheduled.taskRefName)?.sink;
    if (!sink) return;
    const body = { ...scheduled.input, workflowInstanceId: executionId, workflowType: state.definition?.name, taskRefName: scheduled.taskRefName, correlationId: state.correlationId };
    const cause = { causationId: executionEventRef(executionId, event.revision), actor: 'orchestrator:event-task', correlationId: state.correlationId ?? executionId };
    if (sink === 'conductor' || sink.startsWith('conductor:')) {
      // Conductor's own queue: Baton's event handlers, in process. A handler that cannot act is logged by the queue; the event was delivered.
      const queue = conductorQueueOf(sink, state.definition?.name ?? '', scheduled.taskRefName);
      const handlers = await this.conductorQueue.deliver(queue, { ...body, event_produced: queue }, scheduled.taskId);
      await this.executions.command(executionId, { type: 'ApplyTaskResult', taskId: scheduled.taskId, status: 'COMPLETED', output: { sink, event_produced: queue, handlers }, workerId: 'baton' }, cause);
      return;
    }
    const [provider, subject] = [sink.slice(0, sink.indexOf(':')), sink.slice(sink.indexOf(':') + 1)];
    try {
      if (provider === 'jsm') await this.publisher.publish(subject, body, { msgId: scheduled.taskId });
      else this.nats.publish(subject, encoder.encode(JSON.stringify(body)));
    } catch (error) {
      // No stream for a jsm: subject, or a message the server refuses: the task fails with the reason.
      const reason = `publishing to ${sink} failed: ${error instanceof Error ? error.message : String(error)}`;
      await this.executions.command(executionId, { type: 'ApplyTaskResult', taskId: scheduled.taskId, status: 'FAILED', reason, workerId: 'baton' }, cause);
      return;
    }
    await this.executions.command(executionId, { type: 'ApplyTaskResult', taskId: scheduled.taskId, status: 'COMPLETED', output: { sink, subject }, workerId: 'baton' }, cause);
  }
}
