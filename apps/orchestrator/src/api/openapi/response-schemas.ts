import type { ReferenceObject, SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

/*
 * The shapes of the API's answers, as OpenAPI components (`#/components/schemas/<name>`), so that
 * clients generated from `/api/docs-json` are typed. Conductor's JSON keeps fields Baton does not
 * list here (`additionalProperties`), as Conductor's own clients expect.
 */

const epochMs = { type: 'integer', format: 'int64', description: 'epoch milliseconds' } as const;
const object = { type: 'object', additionalProperties: true } as const;
const strings = { type: 'array', items: { type: 'string' } } as const;
const decimal64 = { type: 'string', description: '64-bit unsigned integer as decimal text' } as const;
const EXECUTION_STATUS = ['RUNNING', 'PAUSED', 'COMPLETED', 'FAILED', 'TIMED_OUT', 'TERMINATED'];
const TASK_STATUS = ['SCHEDULED', 'IN_PROGRESS', 'COMPLETED', 'COMPLETED_WITH_ERRORS', 'FAILED', 'FAILED_WITH_TERMINAL_ERROR', 'TIMED_OUT', 'CANCELED', 'SKIPPED'];

/** A reference to one of the components below (a name not among them fails the OpenAPI test). */
function ref(name: string): ReferenceObject {
  return { $ref: `#/components/schemas/${name}` };
}

function arrayOf(name: string): SchemaObject {
  return { type: 'array', items: ref(name) };
}

const executionListItem: SchemaObject = {
  type: 'object',
  required: ['executionId', 'workflowName', 'workflowVersion', 'status', 'createdAt', 'updatedAt'],
  properties: {
    executionId: { type: 'string' },
    workflowName: { type: 'string' },
    workflowVersion: { type: 'integer' },
    status: { type: 'string', enum: EXECUTION_STATUS },
    correlationId: { type: 'string' },
    idempotencyKey: { type: 'string' },
    parentExecutionId: { type: 'string' },
    createdAt: epochMs,
    updatedAt: epochMs,
    endedAt: epochMs,
    reason: { type: 'string' },
    failedTaskRef: { type: 'string' },
  },
};

/** Every response component, by name. */
export const RESPONSE_SCHEMAS = {
  ApiError: {
    type: 'object',
    description: 'Every error answer (4xx, 5xx)',
    required: ['status', 'code', 'message', 'retryable'],
    properties: {
      status: { type: 'integer', description: 'the HTTP status again' },
      code: { type: 'string', description: 'stable error code (docs/wire-contract.md lists them)', example: 'VALIDATION_FAILED' },
      message: { type: 'string' },
      retryable: { type: 'boolean', description: 'true when the same request may succeed later (503, a lost race)' },
      validationErrors: { type: 'array', items: { type: 'object', required: ['path', 'message'], properties: { path: { type: 'string' }, message: { type: 'string' } } } },
      details: object,
    },
  },
  Valid: { type: 'object', required: ['valid'], properties: { valid: { type: 'boolean', enum: [true] } } },
  Task: {
    type: 'object',
    description: "Conductor's Task JSON: one attempt of a task",
    additionalProperties: true,
    required: ['taskId', 'taskType', 'taskDefName', 'referenceTaskName', 'status', 'inputData', 'outputData', 'retryCount', 'seq', 'workflowInstanceId'],
    properties: {
      taskId: { type: 'string' },
      taskType: { type: 'string' },
      taskDefName: { type: 'string' },
      referenceTaskName: { type: 'string' },
      status: { type: 'string', enum: TASK_STATUS },
      inputData: object,
      outputData: object,
      retryCount: { type: 'integer' },
      seq: { type: 'integer' },
      pollCount: { type: 'integer' },
      scheduledTime: epochMs,
      startTime: epochMs,
      endTime: epochMs,
      updateTime: epochMs,
      workerId: { type: 'string' },
      reasonForIncompletion: { type: 'string' },
      workflowInstanceId: { type: 'string' },
      workflowType: { type: 'string' },
      correlationId: { type: 'string' },
      iteration: { type: 'integer' },
      subWorkflowId: { type: 'string' },
      logs: strings,
    },
  },
  Workflow: {
    type: 'object',
    description: "Conductor's Workflow JSON: an execution",
    additionalProperties: true,
    required: ['workflowId', 'workflowName', 'workflowVersion', 'status', 'input', 'output', 'variables', 'createTime', 'updateTime', 'endTime', 'tasks'],
    properties: {
      workflowId: { type: 'string' },
      workflowName: { type: 'string' },
      workflowVersion: { type: 'integer' },
      status: { type: 'string', enum: EXECUTION_STATUS },
      input: object,
      output: object,
      variables: object,
      correlationId: { type: 'string' },
      idempotencyKey: { type: 'string' },
      priority: { type: 'integer' },
      reasonForIncompletion: { type: 'string' },
      failedReferenceTaskNames: strings,
      failedTaskNames: strings,
      parentWorkflowId: { type: 'string' },
      parentWorkflowTaskId: { type: 'string' },
      createTime: epochMs,
      startTime: epochMs,
      updateTime: epochMs,
      endTime: epochMs,
      taskToDomain: { type: 'object', additionalProperties: { type: 'string' } },
      workflowDefinition: object,
      tasks: arrayOf('Task'),
    },
  },
  WorkflowStatus: {
    type: 'object',
    required: ['workflowId', 'status'],
    properties: { workflowId: { type: 'string' }, correlationId: { type: 'string' }, status: { type: 'string', enum: EXECUTION_STATUS }, output: object, variables: object },
  },
  WorkflowRun: {
    type: 'object',
    description: "Conductor's WorkflowRun / SignalResponse: the execution (or its blocking task) when the wait ended",
    additionalProperties: true,
    required: ['responseType', 'targetWorkflowId', 'targetWorkflowStatus'],
    properties: {
      responseType: { type: 'string', enum: ['TARGET_WORKFLOW', 'BLOCKING_WORKFLOW', 'BLOCKING_TASK', 'BLOCKING_TASK_INPUT'] },
      targetWorkflowId: { type: 'string' },
      targetWorkflowStatus: { type: 'string', enum: EXECUTION_STATUS },
      requestId: { type: 'string' },
      signalTimeout: { type: 'boolean', description: 'true when the wait timed out' },
      workflowId: { type: 'string' },
      status: { type: 'string' },
      input: object,
      output: object,
      variables: object,
      tasks: arrayOf('Task'),
    },
  },
  WorkflowSummary: {
    type: 'object',
    description: "Conductor's WorkflowSummary (input and output as JSON text)",
    required: ['workflowId', 'workflowType', 'version', 'status', 'startTime', 'updateTime'],
    properties: {
      workflowId: { type: 'string' },
      workflowType: { type: 'string' },
      version: { type: 'integer' },
      correlationId: { type: 'string' },
      status: { type: 'string', enum: EXECUTION_STATUS },
      startTime: epochMs,
      updateTime: epochMs,
      endTime: epochMs,
      executionTime: { type: 'integer', description: 'milliseconds' },
      reasonForIncompletion: { type: 'string' },
      failedReferenceTaskNames: { type: 'string' },
      input: { type: 'string' },
      output: { type: 'string' },
    },
  },
  WorkflowSearchResult: { type: 'object', required: ['totalHits', 'results'], properties: { totalHits: { type: 'integer' }, results: arrayOf('WorkflowSummary') } },
  TaskSummary: {
    type: 'object',
    description: "Conductor's TaskSummary",
    additionalProperties: true,
    required: ['taskId', 'taskType', 'taskDefName', 'referenceTaskName', 'status', 'workflowId'],
    properties: {
      taskId: { type: 'string' },
      taskType: { type: 'string' },
      taskDefName: { type: 'string' },
      referenceTaskName: { type: 'string' },
      status: { type: 'string', enum: TASK_STATUS },
      workflowId: { type: 'string' },
      workflowType: { type: 'string' },
      scheduledTime: { type: 'string' },
      updateTime: { type: 'string' },
    },
  },
  TaskSearchResult: { type: 'object', required: ['totalHits', 'results'], properties: { totalHits: { type: 'integer' }, results: arrayOf('TaskSummary') } },
  TaskExecLog: { type: 'object', required: ['log', 'taskId', 'createdTime'], properties: { log: { type: 'string' }, taskId: { type: 'string' }, createdTime: epochMs } },
  PollData: { type: 'object', required: ['queueName', 'workerId', 'lastPollTime'], properties: { queueName: { type: 'string' }, workerId: { type: 'string' }, lastPollTime: epochMs } },
  QueueSizes: { type: 'object', description: 'waiting commands per task type', additionalProperties: { type: 'integer' } },
  BulkResponse: {
    type: 'object',
    required: ['bulkSuccessfulResults', 'bulkErrorResults'],
    properties: { bulkSuccessfulResults: strings, bulkErrorResults: { type: 'object', description: 'message per execution id', additionalProperties: { type: 'string' } } },
  },
  CorrelatedWorkflows: { type: 'object', description: 'executions per correlation id', additionalProperties: arrayOf('Workflow') },
  HistoryEvent: {
    type: 'object',
    description: 'One stored event of an execution (docs/event-store.md lists the types)',
    required: ['revision', 'position', 'id', 'type', 'created', 'data', 'metadata'],
    properties: {
      revision: decimal64,
      position: decimal64,
      id: { type: 'string', format: 'uuid' },
      type: { type: 'string', example: 'ExecutionStarted' },
      created: { type: 'string', format: 'date-time' },
      data: object,
      metadata: {
        type: 'object',
        additionalProperties: true,
        properties: { schemaVersion: { type: 'integer' }, correlationId: { type: 'string' }, causationId: { type: 'string' }, actor: { type: 'string' }, prevHash: { type: 'string' }, hash: { type: 'string' } },
      },
    },
  },
  StateAt: {
    type: 'object',
    required: ['revision', 'recordedAt', 'eventCount', 'totalEvents', 'workflow'],
    properties: {
      revision: { ...decimal64, nullable: true },
      recordedAt: { type: 'string', format: 'date-time', nullable: true },
      eventCount: { type: 'integer' },
      totalEvents: { type: 'integer' },
      workflow: ref('Workflow'),
    },
  },
  Verification: {
    type: 'object',
    required: ['executionId', 'valid', 'eventsChecked', 'events', 'lastHash', 'consistent'],
    properties: {
      executionId: { type: 'string' },
      valid: { type: 'boolean', description: 'the SHA-256 hash chain matches' },
      eventsChecked: { type: 'integer' },
      events: { type: 'integer' },
      lastHash: { type: 'string' },
      firstInvalid: { type: 'object', properties: { revision: decimal64, reason: { type: 'string', enum: ['hash-mismatch', 'prev-hash-mismatch', 'missing-hash'] } } },
      consistent: { type: 'boolean', description: 'the events are a sequence the decider can produce' },
      firstInconsistency: { type: 'object', properties: { revision: { type: 'string' }, type: { type: 'string' }, problem: { type: 'string' } } },
    },
  },
  ExecutionListItem: executionListItem,
  ExecutionSearchPage: {
    type: 'object',
    required: ['totalHits', 'statusCounts', 'results'],
    properties: {
      totalHits: { type: 'integer' },
      statusCounts: { type: 'object', description: 'matches per status, the status filter left out', additionalProperties: { type: 'integer' } },
      results: arrayOf('ExecutionListItem'),
    },
  },
  ExecutionLinks: {
    type: 'object',
    required: ['children', 'failureWorkflows'],
    properties: { parent: ref('ExecutionListItem'), children: arrayOf('ExecutionListItem'), failureWorkflows: arrayOf('ExecutionListItem'), compensates: ref('ExecutionListItem') },
  },
  TaskStats: {
    type: 'object',
    required: ['taskDefName', 'taskType', 'total', 'byStatus'],
    properties: {
      taskDefName: { type: 'string' },
      taskType: { type: 'string' },
      total: { type: 'integer' },
      byStatus: { type: 'object', additionalProperties: { type: 'integer' } },
      avgDurationMs: { type: 'number', nullable: true },
      p50DurationMs: { type: 'number', nullable: true },
      avgQueueWaitMs: { type: 'number', nullable: true },
    },
  },
  QueuesReport: {
    type: 'object',
    required: ['taskTypes'],
    properties: {
      taskTypes: { type: 'array', items: { type: 'object', required: ['taskType'], properties: { taskType: { type: 'string' }, stream: object, pending: object, limits: object } } },
      results: { ...object, description: 'results waiting for an orchestrator replica' },
    },
  },
  ThrottledTask: {
    type: 'object',
    required: ['taskId', 'executionId', 'taskDefName', 'taskRefName', 'taskType', 'attempt', 'status', 'reason', 'limit', 'throttledAt'],
    properties: {
      taskId: { type: 'string' },
      executionId: { type: 'string' },
      taskDefName: { type: 'string' },
      taskRefName: { type: 'string' },
      taskType: { type: 'string' },
      attempt: { type: 'integer' },
      status: { type: 'string' },
      scheduledAt: epochMs,
      updatedAt: epochMs,
      reason: { type: 'string' },
      limit: { type: 'integer' },
      throttledAt: epochMs,
    },
  },
  QuarantinedEvent: {
    type: 'object',
    required: ['projection', 'streamName', 'revision', 'eventType', 'eventId', 'commitPosition', 'preparePosition', 'error', 'quarantinedAt'],
    properties: {
      projection: { type: 'string' },
      streamName: { type: 'string' },
      revision: { type: 'string', description: 'decimal' },
      eventType: { type: 'string' },
      eventId: { type: 'string' },
      commitPosition: { type: 'string', description: 'decimal' },
      preparePosition: { type: 'string', description: 'decimal' },
      error: { type: 'string', description: 'what applying the event raised' },
      quarantinedAt: epochMs,
    },
  },
  DeadLetterPage: {
    type: 'object',
    required: ['total', 'firstSeq', 'lastSeq', 'letters'],
    properties: { total: { type: 'integer' }, firstSeq: { type: 'integer' }, lastSeq: { type: 'integer' }, letters: { type: 'array', items: object } },
  },
} satisfies Record<string, SchemaObject>;

export type ResponseSchemaName = keyof typeof RESPONSE_SCHEMAS;
