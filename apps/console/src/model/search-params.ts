import type { ExecutionStatus } from '../api/types';
import { EXECUTION_STATUSES } from '../api/types';

/** The executions page's filters, as they sit in its URL (so a search can be shared or reloaded). */
export interface ExecutionFilters {
  readonly workflowName: string;
  readonly workflowVersion: string;
  readonly statuses: readonly ExecutionStatus[];
  readonly correlationId: string;
  /** `datetime-local` text (local time), empty for none. */
  readonly from: string;
  readonly to: string;
  readonly freeText: string;
  readonly sort: string;
  readonly start: number;
  readonly size: number;
}

export const DEFAULT_SORT = 'createdAt:DESC';
export const PAGE_SIZES = [25, 50, 100] as const;

export function filtersFrom(params: URLSearchParams): ExecutionFilters {
  const statuses = (params.get('status') ?? '').split(',').filter((status): status is ExecutionStatus => (EXECUTION_STATUSES as readonly string[]).includes(status));
  const size = Number(params.get('size'));
  const start = Number(params.get('start'));
  return {
    workflowName: params.get('workflow') ?? '',
    workflowVersion: params.get('version') ?? '',
    statuses,
    correlationId: params.get('correlationId') ?? '',
    from: params.get('from') ?? '',
    to: params.get('to') ?? '',
    freeText: params.get('q') ?? '',
    sort: params.get('sort') ?? DEFAULT_SORT,
    start: Number.isInteger(start) && start > 0 ? start : 0,
    size: (PAGE_SIZES as readonly number[]).includes(size) ? size : PAGE_SIZES[0],
  };
}

export function paramsFrom(filters: ExecutionFilters): URLSearchParams {
  const params = new URLSearchParams();
  const set = (key: string, value: string) => {
    if (value) params.set(key, value);
  };
  set('workflow', filters.workflowName);
  set('version', filters.workflowVersion);
  set('status', filters.statuses.join(','));
  set('correlationId', filters.correlationId);
  set('from', filters.from);
  set('to', filters.to);
  set('q', filters.freeText);
  if (filters.sort !== DEFAULT_SORT) params.set('sort', filters.sort);
  if (filters.start > 0) params.set('start', String(filters.start));
  if (filters.size !== PAGE_SIZES[0]) params.set('size', String(filters.size));
  return params;
}

/** `datetime-local` text to epoch ms for the API (undefined when empty or unreadable). */
export function localTimeToEpoch(text: string): number | undefined {
  if (!text) return undefined;
  const value = new Date(text).getTime();
  return Number.isNaN(value) ? undefined : value;
}

/** The API query of a filter set. */
export function apiQueryOf(filters: ExecutionFilters): Record<string, string | number | undefined> {
  return {
    workflowName: filters.workflowName || undefined,
    workflowVersion: filters.workflowVersion || undefined,
    status: filters.statuses.join(',') || undefined,
    correlationId: filters.correlationId || undefined,
    from: localTimeToEpoch(filters.from),
    to: localTimeToEpoch(filters.to),
    freeText: filters.freeText || undefined,
    sort: filters.sort,
    start: filters.start,
    size: filters.size,
  };
}

/** Clicking a column: sort by it descending, then ascending, then descending again. */
export function nextSort(current: string, field: string): string {
  const [currentField, direction] = current.split(':');
  if (currentField !== field) return `${field}:DESC`;
  return `${field}:${direction === 'DESC' ? 'ASC' : 'DESC'}`;
}
