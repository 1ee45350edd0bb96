import { Module } from '@nestjs/common';
import { ExecutionsController } from '../api/executions.controller';
import { LiveFeedController } from '../api/live-feed.controller';
import { OperationsController } from '../api/operations.controller';
import { DefinitionsModule } from '../definitions/definitions.module';
import { LiveModule } from '../live/live.module';
import { OperationsModule } from '../operations/operations.module';
import { ReadModelModule } from '../read-model/read-model.module';

/** The API the web console needs beyond Conductor's: search with counts, links, live feed, operations. */
@Module({
  imports: [ReadModelModule, LiveModule, OperationsModule, DefinitionsModule],
  controllers: [ExecutionsController, LiveFeedController, OperationsController],
})
export class ConsoleModule {}
