import { Module, type DynamicModule } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { MetadataController } from './api/metadata.controller';
import { TasksController } from './api/tasks.controller';
import { TaskPollController } from './api/task-poll.controller';
import { WorkflowController } from './api/workflow.controller';
import { WorkflowControlController } from './api/workflow-control.controller';
import { AuditController } from './api/audit.controller';
import { BATON_CONFIG, type BatonConfig } from './config/baton-config';
import { DefinitionRegistry } from './definitions/definition-registry.service';
import { EXECUTION_EFFECTS } from './executions/execution-effects.port';
import { ExecutionEffectsService } from './effects/execution-effects.service';
import { RecoveryService } from './effects/recovery.service';
import { TaskDispatcher } from './effects/task-dispatcher.service';
import { CLOCK, systemClock } from './executions/clock';
import { ExecutionCommandBus } from './executions/execution-command-bus';
import { ExecutionRepository } from './executions/execution.repository';
import { ExecutionService } from './executions/execution.service';
import { IdempotencyService } from './executions/idempotency.service';
import { HealthController } from './health/health.controller';
import { OrchestratorMetrics } from './health/orchestrator-metrics.service';
import { TaskResultsController } from './inbound/task-results.controller';
import { natsProviders } from './messaging/nats.providers';
import { OrchestratorLifecycle } from './orchestrator.lifecycle';
import { operationalIndexProviders } from './read-model/operational-index.provider';
import { EventStoreAvailability } from './store/event-store-availability.service';
import { createEventStore } from './store/event-store.factory';
import { TimerService } from './timers/timer.service';
import { LifecycleReactions } from './reactions/lifecycle-reactions.projection';
import { SubWorkflowReactions } from './reactions/sub-workflow-reactions.service';
import { EventTaskReactions } from './reactions/event-task-reactions.service';
import { TaskLimitsService } from './limits/task-limits.service';
import { EventHandlersController } from './api/event-handlers.controller';
import { ReportsController } from './api/reports.controller';
import { eventHandlerProviders } from './event-handlers/event-handler.providers';
import { TaskPoller } from './polling/task-poller.service';
import { consoleControllers, consoleProviders } from './console/console.providers';
import { TaskQueues } from './polling/task-queues';
import { ExecutionWaiter } from './executions/execution-waiter';
import { runWorkflowTest } from '@app/flow-testing';
import { WORKFLOW_TEST_RUNNER, type WorkflowTestRunner } from './flow-testing/workflow-test-runner.port';
import { WorkflowAdminController } from './api/workflow-admin.controller';
import { WorkflowBulkController } from './api/workflow-bulk.controller';
import { WorkflowExecuteController } from './api/workflow-execute.controller';
import { TaskAdminController } from './api/task-admin.controller';
import { NotServedController } from './api/not-served.controller';

/** The orchestrator: HTTP API, NATS inbound, command handling, effects, timers. */
@Module({})
export class AppModule {
  static forRoot(config: BatonConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        TerminusModule,
        LoggerModule.forRoot({
          // No per-request logging middleware: its AsyncLocalStorage would put promise hooks on
          // every promise in the process (≈ 3 % CPU under load) for request logs we don't write.
          forRoutes: [],
          pinoHttp: {
            level: config.logLevel,
            autoLogging: false,
            base: { service: 'baton-orchestrator', instance: config.instanceId },
          },
        }),
      ],
      controllers: [
        MetadataController,
        WorkflowController,
        WorkflowControlController,
        WorkflowAdminController,
        WorkflowBulkController,
        WorkflowExecuteController,
        AuditController,
        TasksController,
        TaskAdminController,
        HealthController,
        TaskResultsController,
        TaskPollController,
        EventHandlersController,
        ReportsController,
        NotServedController,
        ...consoleControllers,
      ],
      providers: [
        { provide: BATON_CONFIG, useValue: config },
        { provide: CLOCK, useValue: systemClock },
        {
          provide: EVENT_STORE,
          useFactory: () => createEventStore(config.eventStore),
        },
        {
          provide: 'EVENT_STORE_CLOSER',
          inject: [EVENT_STORE],
          useFactory: (store: EventStore) => ({ onApplicationShutdown: () => store.close() }),
        },
        ...natsProviders,
        ...operationalIndexProviders,
        OrchestratorMetrics,
        EventStoreAvailability,
        DefinitionRegistry,
        ExecutionRepository,
        ExecutionCommandBus,
        ExecutionService,
        IdempotencyService,
        TimerService,
        TaskLimitsService,
        TaskDispatcher,
        ExecutionEffectsService,
        { provide: EXECUTION_EFFECTS, useExisting: ExecutionEffectsService },
        RecoveryService,
        LifecycleReactions,
        SubWorkflowReactions,
        EventTaskReactions,
        OrchestratorLifecycle,
        ...eventHandlerProviders,
        TaskPoller,
        ...consoleProviders,
        TaskQueues,
        ExecutionWaiter,
        // POST /api/workflow/test runs on the same in-process engine as `baton test`.
        { provide: WORKFLOW_TEST_RUNNER, useValue: { run: runWorkflowTest } satisfies WorkflowTestRunner },
      ],
    };
  }
}
