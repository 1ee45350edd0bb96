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
import { BATON_CONFIG, type BatonConfig } from '../config/baton-config';
import { HttpTaskRunner } from './in-process/http-task.runner';
import { IN_PROCESS_RUNNERS, type InProcessRunner } from './in-process/in-process-runner';
import { InProcessTasks } from './in-process/in-process-tasks.service';
import { JqTaskRunner } from './in-process/jq-task.runner';
import { SandboxEngines } from './in-process/sandbox-engines.service';
import { ScriptTaskRunner } from './in-process/script-task.runner';

/**
 * What follows an append at once (task commands out, in-process system tasks run, timers armed and
 * disarmed), and the recovery of what a crash cut short. Plugs its effects into the command path.
 */
@Module({
  imports: [NatsModule, MetricsModule, ExecutionsModule, LimitsModule, TimersModule, ReadModelModule],
  providers: [
    TaskDispatcher,
    ExecutionEffectsService,
    RecoveryService,
    SandboxEngines,
    InProcessTasks,
    {
      provide: IN_PROCESS_RUNNERS,
      inject: [BATON_CONFIG, SandboxEngines],
      useFactory: (config: BatonConfig, engines: SandboxEngines): InProcessRunner[] => [
        new HttpTaskRunner({ concurrency: config.httpTaskConcurrency, maxBodyBytes: config.httpTaskMaxBodyBytes }),
        new ScriptTaskRunner(() => engines.scripts()),
        new JqTaskRunner(engines.jq),
      ],
    },
  ],
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
