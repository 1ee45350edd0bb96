import { httpRequest, orderCompensationWorkflow, orderFulfilmentWorkflow, orderTaskDefs, ORDER_WORKFLOW, type SampleOrder } from '@app/samples';

/** A thin HTTP client of Baton's API for tests and scripts. */
export class BatonApi {
  constructor(readonly baseUrl: string) {}

  async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; text: string; json: () => unknown }> {
    const { status, text } = await httpRequest(method, `${this.baseUrl}${path}`, body, headers);
    return { status, text, json: () => JSON.parse(text) as unknown };
  }

  async expectOk(method: string, path: string, body?: unknown): Promise<string> {
    const response = await this.request(method, path, body);
    if (response.status !== 200) throw new Error(`${method} ${path} → ${response.status}: ${response.text}`);
    return response.text;
  }

  /** Registers the sample task definitions, the order workflow and its compensation. */
  async registerSampleFlow(): Promise<void> {
    await this.expectOk('POST', '/api/metadata/taskdefs', orderTaskDefs);
    // overwrite=true: a data directory kept from an earlier run already holds them (a plain POST would be 409).
    await this.expectOk('POST', '/api/metadata/workflow?overwrite=true', orderCompensationWorkflow);
    await this.expectOk('POST', '/api/metadata/workflow?overwrite=true', orderFulfilmentWorkflow);
  }

  startOrder(order: SampleOrder): Promise<string> {
    return this.expectOk('POST', `/api/workflow/${ORDER_WORKFLOW}`, order);
  }

  /** One start request with the order id as correlation id and idempotency key (RETURN_EXISTING); the raw answer. */
  startOrderIdempotently(order: SampleOrder): Promise<{ status: number; text: string; json: () => unknown }> {
    return this.request('POST', '/api/workflow', {
      name: ORDER_WORKFLOW,
      input: order,
      correlationId: order.orderId,
      idempotencyKey: order.orderId,
      idempotencyStrategy: 'RETURN_EXISTING',
    });
  }

  /**
   * Starts an order with its id as idempotency key (RETURN_EXISTING), retrying while Baton is
   * unreachable: a request that was stored but whose answer was lost returns the same execution.
   */
  async startOrderReliably(order: SampleOrder, timeoutMs = 60_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        const response = await this.startOrderIdempotently(order);
        if (response.status === 200) return response.text;
        if (response.status < 500) throw new Error(`start of ${order.orderId} refused: ${response.status} ${response.text}`);
      } catch (error) {
        if (error instanceof Error && error.message.startsWith('start of')) throw error;
      }
      if (Date.now() > deadline) throw new Error(`could not start ${order.orderId} within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  async workflow(id: string): Promise<ConductorWorkflow> {
    return JSON.parse(await this.expectOk('GET', `/api/workflow/${id}`)) as ConductorWorkflow;
  }

  async history(id: string): Promise<HistoryEntry[]> {
    return JSON.parse(await this.expectOk('GET', `/api/workflow/${id}/history`)) as HistoryEntry[];
  }

  /** `/health` with its terminus report (which checks are up, which down and why). */
  async health(): Promise<{ status: number; report: HealthReport }> {
    const response = await this.request('GET', '/health');
    return { status: response.status, report: response.json() as HealthReport };
  }

  /** The pid the orchestrator answering `/health` reports, when it is healthy; else undefined. */
  async healthyPid(): Promise<number | undefined> {
    try {
      // Bounded: whatever else holds the port may accept connections and never answer.
      const response = await fetch(`${this.baseUrl}/health`, { signal: AbortSignal.timeout(2_000) });
      if (response.status !== 200) return undefined;
      const pid = ((await response.json()) as { info?: { process?: { pid?: unknown } } }).info?.process?.pid;
      return typeof pid === 'number' ? pid : undefined;
    } catch {
      return undefined;
    }
  }

  async healthy(): Promise<boolean> {
    try {
      return (await this.request('GET', '/health')).status === 200;
    } catch {
      return false;
    }
  }
}

/** One check of a `/health` report. */
export interface HealthCheckResult {
  readonly status: 'up' | 'down';
  readonly message?: string;
  readonly [key: string]: unknown;
}

/** The `/health` body (terminus): `details` has every check, `error` the failed ones. */
export interface HealthReport {
  readonly status: 'ok' | 'error' | 'shutting_down';
  readonly info?: Record<string, HealthCheckResult>;
  readonly error?: Record<string, HealthCheckResult>;
  readonly details: Record<string, HealthCheckResult>;
}

export interface ConductorTask {
  taskId: string;
  referenceTaskName: string;
  status: string;
  outputData: Record<string, unknown>;
}

export interface ConductorWorkflow {
  workflowId: string;
  status: string;
  reasonForIncompletion?: string;
  output: Record<string, unknown>;
  tasks: ConductorTask[];
}

export interface HistoryEntry {
  revision: string;
  type: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

const TASK_END = new Set(['TaskCompleted', 'TaskFailed', 'TaskTimedOut', 'TaskCanceled']);
const EXECUTION_END = new Set(['ExecutionCompleted', 'ExecutionFailed', 'ExecutionTerminated']);

/**
 * Transitions that happened more than once in a history: a task scheduled or ended twice, an
 * execution started or ended twice. Empty for a correct history.
 */
export function duplicatedTransitions(history: readonly HistoryEntry[]): string[] {
  const counts = new Map<string, number>();
  const bump = (key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);
  for (const entry of history) {
    if (entry.type === 'ExecutionStarted') bump('ExecutionStarted');
    else if (EXECUTION_END.has(entry.type)) bump('ExecutionEnded');
    else if (entry.type === 'TaskScheduled') bump(`scheduled ${String(entry.data.taskId)}`);
    else if (TASK_END.has(entry.type)) bump(`ended ${String(entry.data.taskId)}`);
    else if (entry.type === 'TimerFired') bump(`fired ${String(entry.data.timerId)}`);
  }
  return [...counts.entries()].filter(([, count]) => count > 1).map(([key, count]) => `${key} ×${count}`);
}
