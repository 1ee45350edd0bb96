import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DefinitionRegistry } from './definitions/definition-registry.service';
import { ExecutionService } from './executions/execution.service';
import { TimerService, type ArmedTimer } from './timers/timer.service';
import { RecoveryService } from './effects/recovery.service';
import { EventHandlerRuntime } from './event-handlers/event-handler-runtime.service';

/**
 * Start-up order: definitions loaded, read models caught up, timers firing, unpublished
 * effects recovered, then event handlers subscribed — all before the HTTP port and the result
 * consumers open.
 */
@Injectable()
export class OrchestratorLifecycle implements OnApplicationBootstrap {
  private readonly logger = new Logger('Orchestrator');

  constructor(
    private readonly registry: DefinitionRegistry,
    private readonly timers: TimerService,
    private readonly executions: ExecutionService,
    private readonly recovery: RecoveryService,
    private readonly eventHandlers: EventHandlerRuntime,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.registry.start();
    const source = await this.recovery.start();
    this.timers.start((timer) => this.fire(timer), source);
    await this.recovery.republishPendingTasks();
    // Last: events start and advance executions, which needs everything above in place.
    await this.eventHandlers.start();
    this.logger.log('ready');
  }

  private async fire(timer: ArmedTimer): Promise<void> {
    await this.executions.command(timer.executionId, { type: 'FireTimer', timerId: timer.timerId }, { causationId: `timer:${timer.executionId}:${timer.timerId}`, actor: 'timer' });
  }
}
