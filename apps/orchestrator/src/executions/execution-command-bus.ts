import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { cappedBackoff, delay } from '@app/common';
import { decide, replay, type Decision, type ExecutionBounds, type ExecutionCommand, type ExecutionEvent, type ExecutionState } from '@app/domain';
import { BATON_CONFIG, type BatonConfig } from '../config/baton-config';
import { StreamRevisionConflictError } from '@app/event-store';
import { EXECUTION_EFFECTS, type ExecutionEffects } from './execution-effects.port';
import { CLOCK, type Clock } from './clock';
import { ExecutionRepository, type CauseMetadata } from './execution.repository';

/** What became of a command. */
export interface CommandOutcome {
  readonly decision: Decision;
  /** The execution's state after the command (and after any command batched with it). */
  readonly state: ExecutionState;
}

interface Pending {
  readonly command: ExecutionCommand;
  readonly cause: CauseMetadata;
  readonly resolve: (outcome: CommandOutcome) => void;
  readonly reject: (error: unknown) => void;
}

const MAX_CONFLICT_RETRIES = 8;
/** Between tries of a batch that lost a revision race: a few milliseconds, so racing replicas spread out. */
const CONFLICT_BACKOFF = { initialMs: 2, maxMs: 40 };

/**
 * Runs commands against executions: load state → decide → append with the expected revision →
 * effects. Commands for one execution run one batch at a time, and everything queued for it
 * while a batch was being stored goes into the next batch as a single append. A decision is only
 * trusted on a current state: a revision conflict (another replica wrote first) reloads and
 * decides again, and so does a batch that would append nothing on a cached state the stream has
 * moved past (checked with one read of the stream's last revision).
 */
@Injectable()
export class ExecutionCommandBus {
  private readonly logger = new Logger(ExecutionCommandBus.name);
  private readonly queues = new Map<string, Pending[]>();

  constructor(
    private readonly repository: ExecutionRepository,
    @Inject(EXECUTION_EFFECTS) private readonly effects: ExecutionEffects,
    @Inject(CLOCK) private readonly clock: Clock,
    @Optional() @Inject(BATON_CONFIG) config?: Pick<BatonConfig, 'executionBounds'>,
  ) {
    this.bounds = config?.executionBounds;
  }

  /** What one execution may hold; a decision beyond it fails the execution instead (domain `boundDecision`). */
  private readonly bounds: ExecutionBounds | undefined;

  /** Resolves once the command's events are stored (effects run after, without blocking it). */
  execute(executionId: string, command: ExecutionCommand, cause: CauseMetadata): Promise<CommandOutcome> {
    return new Promise<CommandOutcome>((resolve, reject) => {
      const queue = this.queues.get(executionId);
      const pending: Pending = { command, cause, resolve, reject };
      if (queue) {
        queue.push(pending);
        return;
      }
      this.queues.set(executionId, [pending]);
      void this.drain(executionId);
    });
  }

  /** Commands waiting or running, for metrics and graceful shutdown. */
  get busyExecutions(): number {
    return this.queues.size;
  }

  private async drain(executionId: string): Promise<void> {
    // The queue stays registered while a batch runs so new commands join the next batch.
    for (;;) {
      const queue = this.queues.get(executionId)!;
      if (queue.length === 0) {
        this.queues.delete(executionId);
        return;
      }
      const batch = queue.splice(0, queue.length);
      await this.process(executionId, batch);
    }
  }

  private async process(executionId: string, batch: Pending[]): Promise<void> {
    for (let conflicts = 0; ; ) {
      try {
        const { loaded, cached } = await this.repository.loadTracked(executionId);
        const now = this.clock.now();
        let state = loaded.state;
        const toAppend: { event: ExecutionEvent; cause: CauseMetadata }[] = [];
        const decided: { pending: Pending; decision?: Decision; error?: unknown }[] = [];
        for (const pending of batch) {
          try {
            const decision = decide(pending.command, state, this.bounds ? { now, bounds: this.bounds } : { now });
            state = decision.state ?? replay(decision.events, state);
            for (const event of decision.events) toAppend.push({ event, cause: pending.cause });
            decided.push({ pending, decision });
          } catch (error) {
            // A decider bug must not take the other commands of the batch down with it.
            this.logger.error(`decide failed for ${executionId} (${pending.command.type}): ${String(error)}`);
            decided.push({ pending, error });
          }
        }
        // An append is checked by its expected revision; a batch that appends nothing (every command
        // ignored or rejected: unknown task, duplicate, not running) is not, so a cached state is
        // confirmed against the stream first: another replica may have appended what makes it apply.
        if (toAppend.length === 0 && cached && !(await this.repository.isCurrent(loaded))) {
          // The reload reads the stream, so this repeats only when yet another append came in meanwhile.
          this.repository.evict(executionId);
          continue;
        }
        if (toAppend.length > 0) {
          const { loaded: stored, result } = await this.repository.append(loaded, toAppend, state);
          state = stored.state;
          this.effects.afterAppend(stored.state, toAppend.map((item) => item.event), result.position);
        }
        for (const item of decided) {
          if (item.decision) item.pending.resolve({ decision: item.decision, state });
          else item.pending.reject(item.error);
        }
        return;
      } catch (error) {
        if (error instanceof StreamRevisionConflictError && (conflicts += 1) < MAX_CONFLICT_RETRIES) {
          await delay(cappedBackoff(conflicts, CONFLICT_BACKOFF));
          continue;
        }
        for (const pending of batch) pending.reject(error);
        return;
      }
    }
  }
}
