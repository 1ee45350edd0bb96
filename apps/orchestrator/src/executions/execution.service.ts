import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { isStarted, isTerminalExecution, taskDefSnapshot, type ExecutionCommand, type ExecutionState, type StartedExecution, type ParentLink, type ReportedTaskStatus, type WorkflowDef } from '@app/domain';
import { StreamNotFoundError, type RecordedEvent } from '@app/event-store';
import { DefinitionRegistry } from '../definitions/definition-registry.service';
import { OrchestratorMetrics } from '../health/orchestrator-metrics.service';
import { ExecutionCommandBus, type CommandOutcome } from './execution-command-bus';
import type { ExecutionCommands } from './execution-commands.port';
import { ExecutionRepository, type CauseMetadata } from './execution.repository';
import { IdempotencyService, type IdempotencyStrategy } from './idempotency.service';
import { CommandRejectedError, ExecutionNotFoundError, IdempotencyConflictError, WorkflowDefinitionNotFoundError } from './orchestrator.errors';

/** A request to start a workflow (Conductor's StartWorkflowRequest). */
export interface StartRequest {
  readonly name: string;
  readonly version?: number;
  readonly input?: Record<string, unknown>;
  readonly correlationId?: string;
  readonly priority?: number;
  readonly idempotencyKey?: string;
  readonly idempotencyStrategy?: IdempotencyStrategy;
  /** The SUB_WORKFLOW task of a parent execution that starts this one. */
  readonly parent?: ParentLink;
  /** An inline (already validated) definition to run instead of a registered one (Conductor's `workflowDef`). */
  readonly definition?: WorkflowDef;
}

/** The orchestrator's use cases, shared by the HTTP API and the NATS inbound adapters. */
@Injectable()
export class ExecutionService implements ExecutionCommands {
  constructor(
    private readonly bus: ExecutionCommandBus,
    private readonly repository: ExecutionRepository,
    private readonly registry: DefinitionRegistry,
    private readonly idempotency: IdempotencyService,
    private readonly metrics: OrchestratorMetrics,
  ) {}

  /** Starts an execution; returns its id (an existing one under RETURN_EXISTING). */
  async start(request: StartRequest, cause: CauseMetadata): Promise<{ executionId: string; created: boolean }> {
    const definition = request.definition ?? this.registry.getWorkflow(request.name, request.version);
    if (!definition) throw new WorkflowDefinitionNotFoundError(request.name, request.version);
    const key = request.idempotencyKey;
    const strategy = request.idempotencyStrategy ?? 'FAIL';
    let executionId: string = randomUUID();
    if (key !== undefined && key !== '') {
      const claim = await this.idempotency.claim(definition.name, key, executionId, cause);
      if (!claim.claimed) {
        const existing = await this.repository.load(claim.existing.executionId);
        if (existing.state.status === 'NOT_STARTED') {
          // The claim was written but the start was interrupted (crash or a concurrent request): finish it.
          executionId = claim.existing.executionId;
        } else {
          const status = existing.state.status;
          if (strategy === 'RETURN_EXISTING') return { executionId: claim.existing.executionId, created: false };
          if (strategy === 'FAIL' || !isTerminalExecution(status)) throw new IdempotencyConflictError(key, strategy, claim.existing.executionId, status);
          if (!(await this.idempotency.reclaim(definition.name, key, executionId, claim.existing.revision, cause))) {
            throw new IdempotencyConflictError(key, strategy, claim.existing.executionId, 'RUNNING');
          }
        }
      }
    }
    const outcome = await this.bus.execute(
      executionId,
      {
        type: 'StartExecution',
        executionId,
        definition,
        taskDefs: this.registry.taskDefsByName(),
        input: request.input ?? {},
        ...(request.correlationId !== undefined ? { correlationId: request.correlationId } : {}),
        ...(request.priority !== undefined ? { priority: request.priority } : {}),
        ...(key ? { idempotencyKey: key } : {}),
        ...(request.parent ? { parent: request.parent } : {}),
      },
      { ...cause, correlationId: request.correlationId ?? executionId },
    );
    if (outcome.decision.ignored) {
      // A concurrent request with the same idempotency key started it a moment ago.
      if (key && strategy === 'RETURN_EXISTING') return { executionId, created: false };
      throw new IdempotencyConflictError(key ?? '', strategy, executionId, outcome.state.status);
    }
    this.metrics.executionsStarted.inc({ workflow: definition.name });
    return { executionId, created: true };
  }

  /** The execution started under an idempotency key of a workflow, without starting one. */
  async startedWith(workflowName: string, idempotencyKey: string): Promise<string | undefined> {
    return (await this.idempotency.find(workflowName, idempotencyKey))?.executionId;
  }

  /** Runs a command against an existing execution; a command that changes nothing is an error the caller maps. */
  async command(executionId: string, command: ExecutionCommand, cause: CauseMetadata): Promise<CommandOutcome> {
    const started = Date.now();
    const outcome = await this.bus.execute(executionId, command, cause);
    this.metrics.commandSeconds.observe({ command: command.type }, (Date.now() - started) / 1000);
    this.metrics.commands.inc({ command: command.type, outcome: outcome.decision.ignored ? outcome.decision.ignored.code : 'applied' });
    return outcome;
  }

  /** Like {@link command}, but throws when the command was ignored (for HTTP callers). */
  async commandOrThrow(executionId: string, command: ExecutionCommand, cause: CauseMetadata): Promise<ExecutionState> {
    const outcome = await this.command(executionId, command, cause);
    if (outcome.decision.ignored) {
      if (outcome.decision.ignored.code === 'UNKNOWN_EXECUTION') throw new ExecutionNotFoundError(executionId);
      throw new CommandRejectedError(outcome.decision.ignored);
    }
    return outcome.state;
  }

  /** Completes or fails the pending task with this reference name (e.g. a WAIT). */
  updateTaskByRef(executionId: string, taskRefName: string, status: ReportedTaskStatus, output: Record<string, unknown>, cause: CauseMetadata & { workerId?: string; reason?: string }): Promise<ExecutionState> {
    return this.commandOrThrow(
      executionId,
      { type: 'CompleteTaskByRef', taskRefName, status, output, ...(cause.reason ? { reason: cause.reason } : {}), ...(cause.workerId ? { workerId: cause.workerId } : {}) },
      cause,
    );
  }

  terminate(executionId: string, reason: string, cause: CauseMetadata): Promise<ExecutionState> {
    return this.commandOrThrow(executionId, { type: 'TerminateExecution', reason }, cause);
  }

  /** Restarts an ended execution, on the latest registered definition when `useLatest`. */
  async restart(executionId: string, useLatest: boolean, cause: CauseMetadata): Promise<ExecutionState> {
    if (!useLatest) return this.commandOrThrow(executionId, { type: 'RestartExecution' }, cause);
    const name = (await this.get(executionId)).definition.name;
    const latest = this.registry.getWorkflow(name);
    if (!latest) throw new WorkflowDefinitionNotFoundError(name);
    return this.commandOrThrow(executionId, { type: 'RestartExecution', definition: latest, taskDefs: taskDefSnapshot(latest, this.registry.taskDefsByName()) }, cause);
  }

  /**
   * Removes an execution (hidden from reads and search; the history stays for audit). A running one
   * is terminated first, unless `onlyIfEnded`, when it is refused instead (Conductor's archiving remove).
   */
  async remove(executionId: string, onlyIfEnded: boolean, cause: CauseMetadata): Promise<void> {
    const state = await this.get(executionId);
    if (!isTerminalExecution(state.status)) {
      if (onlyIfEnded) throw new CommandRejectedError({ code: 'INVALID_EXECUTION_STATE', reason: `cannot archive execution ${executionId}: it is ${state.status}; terminate it first or remove it with archiveWorkflow=false` });
      await this.terminate(executionId, 'removed by operator', cause);
    }
    await this.commandOrThrow(executionId, { type: 'RemoveExecution' }, cause);
  }

  /** Current state (never a stale cached one); throws when there is no such execution. */
  async get(executionId: string): Promise<StartedExecution> {
    const { state } = await this.repository.loadFresh(executionId);
    // A removed execution keeps its stream for audit (history, verify) but is gone for every other read.
    if (!isStarted(state) || state.removed) throw new ExecutionNotFoundError(executionId);
    return state;
  }

  /** Stored events with metadata; throws when there is no such execution. */
  async history(executionId: string): Promise<RecordedEvent[]> {
    try {
      return await this.repository.history(executionId);
    } catch (error) {
      if (error instanceof StreamNotFoundError) throw new ExecutionNotFoundError(executionId);
      throw error;
    }
  }
}
