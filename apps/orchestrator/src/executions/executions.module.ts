import { Module } from '@nestjs/common';
import { DefinitionsModule } from '../definitions/definitions.module';
import { MetricsModule } from '../health/metrics.module';
import { StoreModule } from '../store/store.module';
import { ExecutionAuditService } from './execution-audit.service';
import { ExecutionCommandBus } from './execution-command-bus';
import { EXECUTION_COMMANDS } from './execution-commands.port';
import { EXECUTION_EFFECTS } from './execution-effects.port';
import { ExecutionEffectsRelay } from './execution-effects.relay';
import { ExecutionRepository } from './execution.repository';
import { ExecutionService } from './execution.service';
import { ExecutionWaiter } from './execution-waiter';
import { IdempotencyService } from './idempotency.service';

/**
 * The command path: use cases (`ExecutionService`), batching and conflict retries
 * (`ExecutionCommandBus`), loading and appending (`ExecutionRepository`), idempotency claims.
 * It depends on no other feature: the effects of an append plug into `ExecutionEffectsRelay`,
 * and the limiter issues its commands through the `EXECUTION_COMMANDS` port.
 */
@Module({
  imports: [StoreModule, MetricsModule, DefinitionsModule],
  providers: [
    ExecutionRepository,
    ExecutionCommandBus,
    ExecutionService,
    ExecutionWaiter,
    ExecutionAuditService,
    IdempotencyService,
    ExecutionEffectsRelay,
    { provide: EXECUTION_EFFECTS, useExisting: ExecutionEffectsRelay },
    { provide: EXECUTION_COMMANDS, useExisting: ExecutionService },
  ],
  exports: [ExecutionService, ExecutionAuditService, ExecutionWaiter, ExecutionRepository, EXECUTION_COMMANDS, ExecutionEffectsRelay],
})
export class ExecutionsModule {}
