import type { TaskDef, WorkflowDef } from '@app/domain';
import type { EventStore } from '@app/event-store';
import { loadConfig } from '../config/baton-config';
import { DefinitionRegistry } from '../definitions/definition-registry.service';
import type { Clock } from '../executions/clock';
import type { ExecutionEffects } from '../executions/execution-effects.port';
import { ExecutionCommandBus } from '../executions/execution-command-bus';
import { ExecutionRepository } from '../executions/execution.repository';
import { ExecutionService } from '../executions/execution.service';
import { IdempotencyService } from '../executions/idempotency.service';
import { OrchestratorMetrics } from '../health/orchestrator-metrics.service';
import { RecordingEffects } from './recording-effects';

/** A clock a test sets. */
export class TestClock implements Clock {
  constructor(private time = 1_000) {}

  now(): number {
    return this.time;
  }

  advance(ms: number): void {
    this.time += ms;
  }
}

/** One replica's command path, in process: what the executions module wires, with recording effects. */
export interface CommandCore {
  readonly store: EventStore;
  readonly clock: TestClock;
  readonly effects: RecordingEffects;
  readonly repository: ExecutionRepository;
  readonly bus: ExecutionCommandBus;
  readonly idempotency: IdempotencyService;
  readonly registry: DefinitionRegistry;
  readonly executions: ExecutionService;
}

/**
 * Builds the command path of one orchestrator replica on `store` (the real repository, command
 * bus, idempotency claims and use cases; effects recorded instead of performed, unless `effects`
 * builds real ones). Two cores on one store are two replicas: separate caches, one log.
 */
export function commandCore(
  store: EventStore,
  options: { clock?: TestClock; cacheSize?: number; metrics?: OrchestratorMetrics; effects?: (core: Omit<CommandCore, 'executions' | 'bus'>) => ExecutionEffects } = {},
): CommandCore {
  const config = loadConfig({ BATON_CACHE_SIZE: String(options.cacheSize ?? 100) });
  const metrics = options.metrics ?? new OrchestratorMetrics();
  const clock = options.clock ?? new TestClock();
  const effects = new RecordingEffects();
  const repository = new ExecutionRepository(store, config, metrics);
  const idempotency = new IdempotencyService(store);
  const registry = new DefinitionRegistry(store);
  const bus = new ExecutionCommandBus(repository, options.effects?.({ store, clock, effects, repository, idempotency, registry }) ?? effects, clock);
  const executions = new ExecutionService(bus, repository, registry, idempotency, metrics);
  return { store, clock, effects, repository, bus, idempotency, registry, executions };
}

/** Registers definitions on a core's registry, as `POST /api/metadata/*` would. */
export async function register(core: CommandCore, workflows: readonly WorkflowDef[], taskDefs: readonly TaskDef[] = []): Promise<void> {
  const cause = { actor: 'test', causationId: 'test:setup' };
  for (const taskDef of taskDefs) await core.registry.registerTaskDef(taskDef, cause);
  for (const definition of workflows) await core.registry.registerWorkflow(definition, cause);
}
