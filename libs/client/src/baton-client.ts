import { BatonApiError, BatonUnreachableError } from './client.errors';
import type {
  BatonClientOptions, HistoryEvent, ResultStatus, SearchRequest, SearchResult, StartRequest, StateAt, TaskDef, TaskResult, ValidationProblem, Verification, Workflow,
  WorkflowDef, WorkflowTask,
} from './client.types';

type Query = Readonly<Record<string, string | number | boolean | undefined>>;

/**
 * A typed client of Baton's HTTP API (Conductor's paths plus Baton's audit endpoints). Every
 * method resolves with the answer's body, or rejects with {@link BatonApiError} (the
 * orchestrator's error: status, code, message, validation problems) or
 * {@link BatonUnreachableError} (no answer).
 *
 * @example
 * const baton = new BatonClient({ url: 'http://127.0.0.1:8080', token: process.env.BATON_TOKEN });
 * const id = await baton.start({ name: 'order_fulfilment', input: { orderId: 'o-1' } });
 * const workflow = await baton.get(id);
 */
export class BatonClient {
  private readonly url: string;
  private readonly fetch: typeof fetch;

  constructor(private readonly options: BatonClientOptions) {
    this.url = options.url.replace(/\/+$/, '');
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  // ── definitions ────────────────────────────────────────────────────────────────────────────

  /** Registers (or replaces) workflow definitions: `PUT /api/metadata/workflow`. Invalid ones reject with every problem, paths prefixed `[i].`. */
  async putWorkflows(definitions: readonly WorkflowDef[]): Promise<void> {
    await this.call('PUT', '/api/metadata/workflow', { body: definitions });
  }

  /** Registers (or replaces) task definitions: `POST /api/metadata/taskdefs`. */
  async putTaskDefs(taskDefs: readonly TaskDef[]): Promise<void> {
    await this.call('POST', '/api/metadata/taskdefs', { body: taskDefs });
  }

  /** Checks a definition without storing it: `POST /api/metadata/workflow/validate`. */
  async validateWorkflow(definition: WorkflowDef): Promise<void> {
    await this.call('POST', '/api/metadata/workflow/validate', { body: definition });
  }

  /** Every version of every workflow definition. */
  listWorkflows(): Promise<WorkflowDef[]> {
    return this.call('GET', '/api/metadata/workflow');
  }

  /** One workflow definition (the latest version unless `version` is given). */
  getWorkflowDef(name: string, version?: number): Promise<WorkflowDef> {
    return this.call('GET', `/api/metadata/workflow/${encode(name)}`, { query: { version } });
  }

  /** Every task definition. */
  listTaskDefs(): Promise<TaskDef[]> {
    return this.call('GET', '/api/metadata/taskdefs');
  }

  // ── executions ─────────────────────────────────────────────────────────────────────────────

  /** Starts an execution; resolves with its id. */
  start(request: StartRequest): Promise<string> {
    return this.call('POST', '/api/workflow', { body: request });
  }

  /** An execution's state, Conductor-shaped, with its tasks unless `includeTasks` is false. */
  get(executionId: string, includeTasks = true): Promise<Workflow> {
    return this.call('GET', `/api/workflow/${encode(executionId)}`, { query: { includeTasks } });
  }

  /** Searches executions (the read model, a moment behind the store). */
  search(request: SearchRequest = {}): Promise<SearchResult> {
    return this.call('GET', '/api/workflow/search', { query: { ...request } });
  }

  // ── task results and signals ───────────────────────────────────────────────────────────────

  /** Reports a task's result by task id: `POST /api/tasks`; resolves with the task id. */
  updateTask(result: TaskResult): Promise<string> {
    return this.call('POST', '/api/tasks', { body: result });
  }

  /**
   * Completes (or fails) the latest attempt of a reference name, e.g. signals a WAIT:
   * `POST /api/tasks/{id}/{ref}/{status}`; resolves with the task id, or `''` when the signal was
   * kept for a WAIT not reached yet.
   */
  signal(executionId: string, taskRefName: string, status: ResultStatus, output: Record<string, unknown> = {}): Promise<string> {
    return this.call('POST', `/api/tasks/${encode(executionId)}/${encode(taskRefName)}/${status}`, { body: output });
  }

  /** A task attempt by id. */
  getTask(taskId: string): Promise<WorkflowTask> {
    return this.call('GET', `/api/tasks/${encode(taskId)}`);
  }

  // ── operator controls ──────────────────────────────────────────────────────────────────────

  async pause(executionId: string, reason?: string): Promise<void> {
    await this.call('PUT', `/api/workflow/${encode(executionId)}/pause`, { query: { reason } });
  }

  async resume(executionId: string): Promise<void> {
    await this.call('PUT', `/api/workflow/${encode(executionId)}/resume`);
  }

  async terminate(executionId: string, reason?: string): Promise<void> {
    await this.call('DELETE', `/api/workflow/${encode(executionId)}`, { query: { reason } });
  }

  async retry(executionId: string): Promise<void> {
    await this.call('POST', `/api/workflow/${encode(executionId)}/retry`);
  }

  /** Reruns an ended execution from one of its tasks; resolves with the execution id. */
  rerun(executionId: string, request: { reRunFromTaskId: string; taskInput?: Record<string, unknown>; workflowInput?: Record<string, unknown> }): Promise<string> {
    return this.call('POST', `/api/workflow/${encode(executionId)}/rerun`, { body: request });
  }

  async restart(executionId: string, useLatestDefinitions = false): Promise<void> {
    await this.call('POST', `/api/workflow/${encode(executionId)}/restart`, { query: { useLatestDefinitions } });
  }

  async skipTask(executionId: string, taskRefName: string, taskOutput: Record<string, unknown> = {}): Promise<void> {
    await this.call('PUT', `/api/workflow/${encode(executionId)}/skiptask/${encode(taskRefName)}`, { body: { taskOutput } });
  }

  // ── audit ──────────────────────────────────────────────────────────────────────────────────

  /** Every stored event of an execution, oldest first, with its metadata and hash chain. */
  history(executionId: string): Promise<HistoryEvent[]> {
    return this.call('GET', `/api/workflow/${encode(executionId)}/history`);
  }

  /** Time travel: the execution after revision `atRevision`, or as it was at time `at` (ISO 8601 or epoch ms). */
  state(executionId: string, at: { atRevision?: number | string; at?: string } = {}): Promise<StateAt> {
    return this.call('GET', `/api/workflow/${encode(executionId)}/state`, { query: { atRevision: at.atRevision, at: at.at } });
  }

  /** Recomputes the execution's hash chain. */
  verify(executionId: string): Promise<Verification> {
    return this.call('GET', `/api/workflow/${encode(executionId)}/verify`);
  }

  /** `GET /health`: true when every check is up. */
  async healthy(): Promise<boolean> {
    try {
      await this.call('GET', '/health');
      return true;
    } catch (error) {
      if (error instanceof BatonApiError) return false;
      throw error;
    }
  }

  private async call<T>(method: string, path: string, options: { query?: Query; body?: unknown } = {}): Promise<T> {
    const url = `${this.url}${path}${queryString(options.query)}`;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (this.options.token) headers['authorization'] = `Bearer ${this.options.token}`;
    if (this.options.clientName) headers['x-baton-client'] = this.options.clientName;
    let response: Response;
    try {
      response = await this.fetch(url, {
        method,
        headers,
        ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
      });
    } catch (error) {
      throw new BatonUnreachableError(this.url, error);
    }
    const text = await response.text();
    if (!response.ok) throw errorOf(response.status, text);
    if (text === '') return '' as T;
    return ((response.headers.get('content-type') ?? '').includes('json') ? JSON.parse(text) : text) as T;
  }
}

function encode(segment: string): string {
  return encodeURIComponent(segment);
}

function queryString(query: Query | undefined): string {
  const entries = Object.entries(query ?? {}).filter((entry): entry is [string, string | number | boolean] => entry[1] !== undefined);
  return entries.length === 0 ? '' : `?${new URLSearchParams(entries.map(([key, value]): [string, string] => [key, String(value)])).toString()}`;
}

function errorOf(status: number, text: string): BatonApiError {
  let body: { code?: unknown; message?: unknown; validationErrors?: unknown; retryable?: unknown; details?: unknown } = {};
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    // not Baton's JSON error (a proxy's page, say): keep the text
  }
  const problems = Array.isArray(body.validationErrors) ? (body.validationErrors as ValidationProblem[]) : [];
  return new BatonApiError(
    status,
    typeof body.code === 'string' ? body.code : `HTTP_${status}`,
    typeof body.message === 'string' ? body.message : text.slice(0, 500) || `HTTP ${status}`,
    problems,
    body.retryable === true,
    typeof body.details === 'object' && body.details !== null ? (body.details as Record<string, unknown>) : undefined,
  );
}
