import { Module } from '@nestjs/common';
import { MetricsModule } from '../health/metrics.module';
import { LiveModule } from '../live/live.module';
import { ReactionsModule } from '../reactions/reactions.module';
import { StoreModule } from '../store/store.module';
import { OPERATIONAL_INDEX } from './operational-index.port';
import { operationalIndexProviders } from './operational-index.provider';
import { ProjectedOperationalIndex } from './projected-operational-index.service';

/** The SQL read models (execution index, task report), the lifecycle reactions and the live feed, in one projection. */
@Module({
  imports: [StoreModule, ReactionsModule, LiveModule, MetricsModule],
  providers: operationalIndexProviders,
  exports: [ProjectedOperationalIndex, OPERATIONAL_INDEX],
})
export class ReadModelModule {}
