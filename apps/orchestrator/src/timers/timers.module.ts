import { Module } from '@nestjs/common';
import { MetricsModule } from '../health/metrics.module';
import { TimerService } from './timer.service';

/** Durable timers: the due ones in memory, the rest in the read model. */
@Module({ imports: [MetricsModule], providers: [TimerService], exports: [TimerService] })
export class TimersModule {}
