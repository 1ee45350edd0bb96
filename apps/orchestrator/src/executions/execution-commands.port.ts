import type { ExecutionCommand } from '@app/domain';
import type { CommandOutcome } from './execution-command-bus';
import type { CauseMetadata } from './execution.repository';

/** DI token of {@link ExecutionCommands}. */
export const EXECUTION_COMMANDS = Symbol('EXECUTION_COMMANDS');

/**
 * Runs a command against an execution, for the parts the command path itself calls into: the
 * limiter, reached from the effects of an append, records `TaskThrottled` / `TaskDispatched`
 * through it, and the in-process runners record their tasks' outcomes. `ExecutionService` implements it; the executions module provides it.
 */
export interface ExecutionCommands {
  /** Resolves once the command's events are stored (an ignored command resolves too, with the reason). */
  command(executionId: string, command: ExecutionCommand, cause: CauseMetadata): Promise<CommandOutcome>;
}
