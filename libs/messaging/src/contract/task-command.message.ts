/**
 * Body of a task command on `baton.task.<taskType>`, published by the orchestrator with
 * `Nats-Msg-Id: <taskId>` so a republish after a crash is deduplicated by JetStream.
 */
export interface TaskCommandMessage {
  readonly taskId: string;
  readonly taskType: string;
  readonly executionId: string;
  readonly workflowName: string;
  readonly workflowVersion: number;
  readonly taskRefName: string;
  /** 1 for the first attempt, incremented by every retry. */
  readonly attempt: number;
  readonly input: Record<string, unknown>;
  readonly correlationId?: string;
  /** Epoch milliseconds. */
  readonly scheduledAt: number;
  /** The worker must send a result or an IN_PROGRESS heartbeat within this many seconds. */
  readonly responseTimeoutSeconds: number;
}
