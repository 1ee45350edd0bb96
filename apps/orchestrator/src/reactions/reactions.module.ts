import { Module } from '@nestjs/common';
import { ExecutionsModule } from '../executions/executions.module';
import { NatsModule } from '../messaging/nats.module';
import { EventTaskReactions } from './event-task-reactions.service';
import { LifecycleReactions } from './lifecycle-reactions.projection';
import { SubWorkflowReactions } from './sub-workflow-reactions.service';
import { StartWorkflowReactions } from './start-workflow-reactions.service';
import { EventHandlersModule } from '../event-handlers/event-handlers.module';

/** What follows from an execution's lifecycle, driven by the log: a part of the read-model projection. */
@Module({
  imports: [NatsModule, ExecutionsModule, EventHandlersModule],
  providers: [LifecycleReactions, SubWorkflowReactions, EventTaskReactions, StartWorkflowReactions],
  exports: [LifecycleReactions],
})
export class ReactionsModule {}
