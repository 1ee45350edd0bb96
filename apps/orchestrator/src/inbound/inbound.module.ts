import { Module } from '@nestjs/common';
import { ExecutionsModule } from '../executions/executions.module';
import { StoreModule } from '../store/store.module';
import { TaskResultsController } from './task-results.controller';

/** Task results from `baton.result.>` (the JetStream transport's handlers). */
@Module({ imports: [ExecutionsModule, StoreModule], controllers: [TaskResultsController] })
export class InboundModule {}
