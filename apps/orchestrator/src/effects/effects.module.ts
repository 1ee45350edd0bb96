import { Module, type OnModuleInit } from '@nestjs/common';
import { ExecutionEffectsRelay } from '../executions/execution-effects.relay';
import { ExecutionsModule } from '../executions/executions.module';
import { MetricsModule } from '../health/metrics.module';
import { LimitsModule } from '../limits/limits.module';
import { NatsModule } from '../messaging/nats.module';
import { ReadModelModule } from '../read-model/read-model.module';
import { TimersModule } from '../timers/timers.module';
import { ExecutionEffectsService } from './execution-effects.service';
import { RecoveryService } from './recovery.service';
import { TaskDispatcher } from './task-dispatcher.service';

/**
 * What follows an append at once (task commands out, timers armed and disarmed), and the
 * recovery of commands a crash kept from going out. Plugs its effects into the command path.
 */
@Module({
  imports: [NatsModule, MetricsModule, ExecutionsModule, LimitsModule, TimersModule, ReadModelModule],
  providers: [TaskDispatcher, ExecutionEffectsService, RecoveryService],
  exports: [RecoveryService],
})
export class EffectsModule implements OnModuleInit {
  constructor(
    private readonly relay: ExecutionEffectsRelay,
    private readonly effects: ExecutionEffectsService,
  ) {}

  onModuleInit(): void {
    this.relay.attach(this.effects);
  }
}
