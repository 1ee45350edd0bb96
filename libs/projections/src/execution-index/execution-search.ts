import { BatonError } from '@app/domain';
import type { ExecutionsTable } from '../read-model/read-model.schema';
import type { ExecutionSearch } from './execution-index.types';

declare module '@app/domain' {
  interface BatonErrorCodes {
    INVALID_SEARCH: true;
  }
}

/** A search the index cannot run: bad sort field, negative offset… */
export class InvalidSearchError extends BatonError {
  constructor(message: string, details: Record<string, unknown>) {
    super('INVALID_SEARCH', message, { retryable: false, details });
  }
}

const SORT_COLUMNS = {
  createdAt: 'created_at',
  startTime: 'created_at',
  updatedAt: 'updated_at',
  updateTime: 'updated_at',
  endedAt: 'ended_at',
  endTime: 'ended_at',
  workflowName: 'workflow_name',
  workflowType: 'workflow_name',
  status: 'status',
  executionId: 'execution_id',
  workflowId: 'execution_id',
  correlationId: 'correlation_id',
} as const satisfies Record<string, keyof ExecutionsTable>;

export interface SortTerm {
  readonly column: (typeof SORT_COLUMNS)[keyof typeof SORT_COLUMNS];
  readonly direction: 'asc' | 'desc';
}

export const MAX_PAGE_SIZE = 1_000;

/** Columns that can be NULL: sorted with NULLs last in both directions. */
export const NULLABLE_SORT_COLUMNS: ReadonlySet<SortTerm['column']> = new Set(['ended_at', 'correlation_id']);

/**
 * Parses `field:DIR` terms; the execution id is always appended as a tiebreak so pages never
 * overlap, in the direction of the last term, so that an index on (column, execution_id) serves
 * the whole order in either direction.
 */
export function parseSort(sort: ExecutionSearch['sort']): SortTerm[] {
  const raw = sort === undefined ? ['createdAt:DESC'] : (typeof sort === 'string' ? [sort] : sort).flatMap((term) => term.split(','));
  const terms = raw.map((term) => term.trim()).filter((term) => term !== '').map((term): SortTerm => {
    const [field = '', direction = 'ASC', ...rest] = term.split(':');
    const column = Object.prototype.hasOwnProperty.call(SORT_COLUMNS, field) ? SORT_COLUMNS[field as keyof typeof SORT_COLUMNS] : undefined;
    const dir = direction.toLowerCase();
    if (column === undefined || (dir !== 'asc' && dir !== 'desc') || rest.length > 0) {
      throw new InvalidSearchError(`cannot sort by "${term}": use field:ASC|DESC with field one of ${Object.keys(SORT_COLUMNS).join(', ')}`, { sort: term });
    }
    return { column, direction: dir };
  });
  return terms.some((term) => term.column === 'execution_id') ? terms : [...terms, { column: 'execution_id', direction: terms.at(-1)?.direction ?? 'asc' }];
}

/** Offset and limit of a search, defaulted and bounded. */
export function pageOf(search: Pick<ExecutionSearch, 'start' | 'size'>): { readonly offset: number; readonly limit: number } {
  const offset = search.start ?? 0;
  const size = search.size ?? 100;
  if (!Number.isInteger(offset) || offset < 0) throw new InvalidSearchError(`start must be a non-negative integer, got ${offset}`, { start: offset });
  if (!Number.isInteger(size) || size < 0) throw new InvalidSearchError(`size must be a non-negative integer, got ${size}`, { size });
  return { offset, limit: Math.min(size, MAX_PAGE_SIZE) };
}

/** A LIKE pattern matching `text` anywhere, with `%`, `_` and `\` taken literally (ESCAPE '\'). */
export function containsPattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}
