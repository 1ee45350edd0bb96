import { STATUS_CODES } from 'node:http';
import { failedOutcome, type InProcessOutcome, type InProcessRunner, type InProcessTask } from './in-process-runner';

/** Conductor's `HttpTask.Input` defaults: 3 s to connect, 3 s to read. */
const DEFAULT_TIMEOUT_MS = 3_000;
const METHODS: ReadonlySet<string> = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'TRACE']);

/** Settings of the HTTP runner. */
export interface HttpTaskSettings {
  readonly concurrency: number;
  /** Largest response body read; a larger one fails the attempt. */
  readonly maxBodyBytes: number;
}

/** Conductor's HTTP request: `http_request`, or the task input itself when there is none. */
interface HttpRequestInput {
  readonly uri?: unknown;
  readonly method?: unknown;
  readonly headers?: unknown;
  readonly body?: unknown;
  readonly accept?: unknown;
  readonly contentType?: unknown;
  readonly connectionTimeOut?: unknown;
  readonly readTimeOut?: unknown;
}

/**
 * HTTP tasks, with Node's fetch: `uri`, `method`, `headers` (each value sent as text, nulls
 * skipped), `body` (a string as it is, anything else as JSON), `accept` (a string or a list;
 * default application/json), `contentType` (default application/json), `connectionTimeOut` and
 * `readTimeOut` (ms, default 3,000 each: the response's headers must arrive within their sum, its
 * body within `readTimeOut` more). Output `response = { statusCode, reasonPhrase, headers (name →
 * list of values), body }`; the body is parsed JSON when it is JSON, else its text, null when empty.
 * 2xx completes the task (or leaves it in progress under `asyncComplete`); any other status fails
 * the attempt with the response in the output; a connection error or timeout fails it too. Retries
 * come from a task definition of the task's name, as in Conductor.
 */
export class HttpTaskRunner implements InProcessRunner {
  readonly taskTypes = ['HTTP'] as const;
  readonly concurrency: number;

  constructor(private readonly settings: HttpTaskSettings) {
    this.concurrency = settings.concurrency;
  }

  async run(task: InProcessTask, signal: AbortSignal): Promise<InProcessOutcome> {
    const nested = task.input['http_request'];
    const request = (nested !== null && typeof nested === 'object' && !Array.isArray(nested) ? nested : task.input) as HttpRequestInput;
    if (typeof request.uri !== 'string' || request.uri === '') return failedOutcome('Missing HTTP URI.  See documentation for HttpTask for required input parameters');
    if (typeof request.method !== 'string' || request.method === '') return failedOutcome('No HTTP method specified');
    const method = request.method.toUpperCase();
    if (!METHODS.has(method)) return failedOutcome(`Unsupported HTTP method ${request.method}`);
    let url: URL;
    try {
      url = new URL(request.uri);
    } catch {
      return failedOutcome(`Invalid HTTP URI ${request.uri}`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return failedOutcome(`Unsupported URI scheme ${url.protocol} (http: and https: only)`);

    const connectMs = timeoutOf(request.connectionTimeOut);
    const readMs = timeoutOf(request.readTimeOut);
    const deadline = new AbortController();
    const abort = () => deadline.abort(signal.reason);
    signal.addEventListener('abort', abort, { once: true });
    let timer = setTimeout(() => deadline.abort(new Error(`no response within ${connectMs + readMs} ms`)), connectMs + readMs);
    try {
      const response = await fetch(url, { method, headers: headersOf(request), body: bodyOf(request, method), redirect: 'follow', signal: deadline.signal });
      clearTimeout(timer);
      timer = setTimeout(() => deadline.abort(new Error(`response body not read within ${readMs} ms`)), readMs);
      const text = await readBounded(response, this.settings.maxBodyBytes);
      const result = {
        statusCode: response.status,
        reasonPhrase: response.statusText || STATUS_CODES[response.status] || '',
        headers: headerMap(response.headers),
        body: parseBody(text),
      };
      if (response.status >= 200 && response.status < 300) return { status: task.asyncComplete ? 'IN_PROGRESS' : 'COMPLETED', output: { response: result } };
      if (response.status >= 400) return failedOutcome(`HTTP ${response.status} ${result.reasonPhrase}`.trim(), 'FAILED', { response: result });
      return failedOutcome('No response from the remote service', 'FAILED', { response: { ...result, body: null } });
    } catch (error) {
      const cause = deadline.signal.aborted ? deadline.signal.reason : error;
      return failedOutcome(`Failed to invoke HTTP task due to: ${messageOf(cause)}`);
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', abort);
    }
  }
}

function timeoutOf(value: unknown): number {
  const ms = typeof value === 'string' ? Number(value) : value;
  return typeof ms === 'number' && Number.isFinite(ms) && ms > 0 ? ms : DEFAULT_TIMEOUT_MS;
}

function headersOf(request: HttpRequestInput): Headers {
  const headers = new Headers();
  if (request.headers !== null && typeof request.headers === 'object' && !Array.isArray(request.headers)) {
    for (const [name, value] of Object.entries(request.headers as Record<string, unknown>)) {
      if (value !== null && value !== undefined) headers.set(name, typeof value === 'object' ? JSON.stringify(value) : String(value));
    }
  }
  if (!headers.has('accept')) headers.set('accept', Array.isArray(request.accept) ? request.accept.map(String).join(', ') : typeof request.accept === 'string' ? request.accept : 'application/json');
  if (!headers.has('content-type') && request.body !== undefined && request.body !== null) headers.set('content-type', typeof request.contentType === 'string' ? request.contentType : 'application/json');
  return headers;
}

function bodyOf(request: HttpRequestInput, method: string): string | undefined {
  if (request.body === undefined || request.body === null || method === 'GET' || method === 'HEAD') return undefined;
  return typeof request.body === 'string' ? request.body : JSON.stringify(request.body);
}

/** Reads the body up to `maxBytes`; past it the read stops and the attempt fails. */
async function readBounded(response: Response, maxBytes: number): Promise<string> {
  if (!response.body) return '';
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body.cancel();
    throw new Error(`response body of ${declared} bytes is larger than the limit of ${maxBytes} bytes`);
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new Error(`response body is larger than the limit of ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Conductor reports each header as a list of values. */
function headerMap(headers: Headers): Record<string, string[]> {
  const map: Record<string, string[]> = {};
  headers.forEach((value, name) => {
    map[name] = name === 'set-cookie' ? headers.getSetCookie() : [value];
  });
  return map;
}

/** JSON → its value (a scalar other than a number as its text, as Conductor does); anything else → the text; empty → null. */
function parseBody(text: string): unknown {
  if (text === '') return null;
  try {
    const value = JSON.parse(text) as unknown;
    return value === null || typeof value === 'object' || typeof value === 'number' ? value : typeof value === 'string' ? value : String(value);
  } catch {
    return text;
  }
}

function messageOf(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as Error & { cause?: unknown }).cause;
    return cause instanceof Error ? `${error.message}: ${cause.message}` : error.message;
  }
  return String(error);
}
