import { BatonError, type DefinitionProblem, type Ignored } from '@app/domain';

declare module '@app/domain' {
  interface BatonErrorCodes {
    EXECUTION_NOT_FOUND: true;
    WORKFLOW_DEFINITION_NOT_FOUND: true;
    TASK_DEFINITION_NOT_FOUND: true;
    INVALID_DEFINITION: true;
    DEFINITION_EXISTS: true;
    IDEMPOTENCY_CONFLICT: true;
  }
}

/** No execution with this id. */
export class ExecutionNotFoundError extends BatonError {
  constructor(executionId: string) {
    super('EXECUTION_NOT_FOUND', `no execution with id ${executionId}`, { details: { executionId } });
  }
}

/** No such workflow definition (or version). */
export class WorkflowDefinitionNotFoundError extends BatonError {
  constructor(name: string, version?: number) {
    super('WORKFLOW_DEFINITION_NOT_FOUND', `no workflow definition named ${name}${version === undefined ? '' : ` with version ${version}`}`, { details: { name, version } });
  }
}

/** No such task definition. */
export class TaskDefinitionNotFoundError extends BatonError {
  constructor(name: string) {
    super('TASK_DEFINITION_NOT_FOUND', `no task definition named ${name}`, { details: { name } });
  }
}

/** A definition failed validation; `problems` lists every issue. */
export class InvalidDefinitionError extends BatonError {
  constructor(readonly problems: readonly DefinitionProblem[], what = 'workflow definition') {
    super('INVALID_DEFINITION', `invalid ${what}: ${problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join('; ')}`, { details: { problems } });
  }
}

/** A definition version already exists with different content (POST does not overwrite; PUT does). */
export class DefinitionExistsError extends BatonError {
  constructor(name: string, version: number) {
    super('DEFINITION_EXISTS', `workflow ${name} version ${version} is already registered; replace it with PUT /api/metadata/workflow or POST /api/metadata/workflow?overwrite=true`, { details: { name, version } });
  }
}

/** The idempotency key was used before and the strategy forbids another start. */
export class IdempotencyConflictError extends BatonError {
  constructor(key: string, strategy: string, existingExecutionId: string, existingStatus: string) {
    super('IDEMPOTENCY_CONFLICT', `idempotencyKey "${key}" already started execution ${existingExecutionId} (${existingStatus}); strategy ${strategy} refuses another`, {
      details: { idempotencyKey: key, strategy, existingExecutionId, existingStatus },
    });
  }
}

/** A command that made no sense in the execution's current state. */
export class CommandRejectedError extends BatonError {
  constructor(readonly ignored: Ignored) {
    super(ignored.code, ignored.reason, { details: { code: ignored.code } });
  }
}
