import type { Logger } from '@nestjs/common';
import { cappedBackoff, delay } from '@app/common';
import type { RecordTaskDispatched, RecordTaskThrottled } from '@app/domain';
import type { CommandOutcome } from '../executions/execution-command-bus';
import type { ExecutionCommands } from '../executions/execution-commands.port';

/** Between tries of a command that failed: 200 ms doubling up to 5 s. */
const RECORD_RETRY = { initialMs: 200, maxMs: 5_000 };

/** Who the limiter's events name as their cause. */
export const LIMITER_ACTOR = 'orchestrator:limiter';

/**
 * Records the limiter's decisions in executions' histories (TaskThrottled, TaskDispatched). A
 * command that fails (the store is unreachable, say) is tried again until it is stored or the
 * orchestrator stops; recovery re-offers the task after a restart.
 */
export class ThrottleRecorder {
  private stopped = false;

  constructor(
    private readonly executions: ExecutionCommands,
    private readonly logger: Logger,
  ) {}

  /** The command's outcome, or undefined when the orchestrator stopped first. */
  async record(executionId: string, taskType: string, command: RecordTaskThrottled | RecordTaskDispatched): Promise<CommandOutcome | undefined> {
    for (let attempt = 1; !this.stopped; attempt += 1) {
      try {
        return await this.executions.command(executionId, command, { causationId: `limiter:${taskType}`, actor: LIMITER_ACTOR });
      } catch (error) {
        this.logger.warn(`recording ${command.type} of task ${command.taskId} failed (attempt ${attempt}), retrying: ${String(error)}`);
        await delay(cappedBackoff(attempt, RECORD_RETRY));
      }
    }
    return undefined;
  }

  stop(): void {
    this.stopped = true;
  }
}
