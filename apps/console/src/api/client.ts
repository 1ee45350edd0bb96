import { authHeaders } from './auth';
import type { FieldProblem } from './types';

/** An answer of the API that is not a success, with what it said (code, message, problems). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly validationErrors: readonly FieldProblem[] = [],
    readonly retryable = false,
  ) {
    super(message);
  }

  /** The API wants a signed-in caller. */
  get unauthorized(): boolean {
    return this.status === 401;
  }
}

const unauthorizedListeners = new Set<() => void>();

/** Called when any request gets a 401: the console shows its sign-in. */
export function onUnauthorized(listener: () => void): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

async function errorOf(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => '');
  try {
    const body = JSON.parse(text) as { code?: string; message?: string; validationErrors?: FieldProblem[]; retryable?: boolean };
    return new ApiError(response.status, body.code ?? `HTTP_${response.status}`, body.message ?? response.statusText, body.validationErrors ?? [], body.retryable ?? response.status >= 500);
  } catch {
    return new ApiError(response.status, `HTTP_${response.status}`, text.trim() || response.statusText || `HTTP ${response.status}`, [], response.status >= 500);
  }
}

/**
 * One request to the orchestrator's API (same origin). JSON in, JSON or text out; every failure
 * becomes an {@link ApiError} the pages show as a message.
 */
export async function request<T>(method: string, path: string, body?: unknown, init: { signal?: AbortSignal } = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers: { accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}), 'x-baton-client': 'console', ...authHeaders() },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      ...(init.signal ? { signal: init.signal } : {}),
    });
  } catch (error) {
    if ((error as Error)?.name === 'AbortError') throw error;
    throw new ApiError(0, 'UNREACHABLE', 'The orchestrator cannot be reached. Is it running?', [], true);
  }
  if (!response.ok) {
    const error = await errorOf(response);
    if (error.unauthorized) for (const listener of unauthorizedListeners) listener();
    throw error;
  }
  const text = await response.text();
  if (text === '') return undefined as T;
  return (response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text) as T;
}

export const api = {
  get: <T>(path: string, signal?: AbortSignal) => request<T>('GET', path, undefined, signal ? { signal } : {}),
  post: <T = unknown>(path: string, body?: unknown) => request<T>('POST', path, body),
  put: <T = unknown>(path: string, body?: unknown) => request<T>('PUT', path, body),
  delete: <T = unknown>(path: string) => request<T>('DELETE', path),
};

/** A query string from the defined values only. */
export function query(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}
