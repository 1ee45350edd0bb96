import { Module } from '@nestjs/common';
import { runWorkflowTest } from '@app/flow-testing';
import { ScriptEngine } from '@app/scripts';
import { BATON_CONFIG, type BatonConfig } from '../config/baton-config';
import { DefinitionsModule } from '../definitions/definitions.module';
import { WORKFLOW_TEST_RUNNER, type WorkflowTestRunner } from '../flow-testing/workflow-test-runner.port';
import { EventHandlersModule } from '../event-handlers/event-handlers.module';
import { ExecutionsModule } from '../executions/executions.module';
import { PollingModule } from '../polling/polling.module';
import { ReadModelModule } from '../read-model/read-model.module';
import { AuditController } from './audit.controller';
import { EventHandlersController } from './event-handlers.controller';
import { MetadataController } from './metadata.controller';
import { ReportsController } from './reports.controller';
import { TaskPollController } from './task-poll.controller';
import { TasksController } from './tasks.controller';
import { WorkflowControlController } from './workflow-control.controller';
import { WorkflowController } from './workflow.controller';
import { NotServedController } from './not-served.controller';
import { TaskAdminController } from './task-admin.controller';
import { WorkflowAdminController } from './workflow-admin.controller';
import { WorkflowBulkController } from './workflow-bulk.controller';
import { WorkflowExecuteController } from './workflow-execute.controller';
import { WorkerTaskAccess } from './worker-task-access';

/** The REST API under `/api` (Conductor's paths, plus history, time travel and verification). */
@Module({
  imports: [ExecutionsModule, DefinitionsModule, ReadModelModule, EventHandlersModule, PollingModule],
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
    TaskPollController,
    EventHandlersController,
    ReportsController,
    NotServedController,
  ],
  // POST /api/workflow/test runs on the same in-process engine as `baton test`, INLINE and LAMBDA scripts in the same sandbox as the runners'.
  providers: [
    WorkerTaskAccess,
    {
      provide: WORKFLOW_TEST_RUNNER,
      inject: [BATON_CONFIG],
      useFactory: async (config: BatonConfig): Promise<WorkflowTestRunner> => {
        const scripts = await ScriptEngine.load({ timeoutMs: config.scriptTimeoutMs, memoryBytes: config.scriptMemoryMb * 1024 * 1024, stackBytes: 512 * 1024 });
        return { run: (request) => runWorkflowTest(request, { scripts }) };
      },
    },
  ],
})
export class ApiModule {}
