import type { ExecutionSearch, IndexedExecutionStatus } from '@app/projections';
import type { FieldProblem } from './validation';

const STATUSES: readonly IndexedExecutionStatus[] = ['RUNNING', 'PAUSED', 'COMPLETED', 'FAILED', 'TERMINATED', 'TIMED_OUT'];
const FIELD_ALIASES: Readonly<Record<string, 'workflowName' | 'status' | 'correlationId'>> = {
  workflowType: 'workflowName',
  workflowName: 'workflowName',
  status: 'status',
  correlationId: 'correlationId',
};
const CLAUSE = /^\s*(\w+)\s*(?:=\s*'?([^'\s()]+)'?|IN\s*\(([^)]*)\))\s*$/i;

/** One `field = value` or `field IN (a, b)` clause of a Conductor search query. */
export interface SearchClause {
  readonly field: string;
  readonly values: string[];
}

/**
 * The clauses of Conductor's search `query` (the subset users write): `field = value` or
 * `field IN (a, b)` joined with AND, on the fields `fields` allows (names as written).
 */
export function searchClauses(query: string | undefined, fields: readonly string[]): { clauses: SearchClause[]; problems: FieldProblem[] } {
  const clauses: SearchClause[] = [];
  const problems: FieldProblem[] = [];
  if (!query || query.trim() === '' || query.trim() === '*') return { clauses, problems };
  for (const clause of query.split(/\s+AND\s+/i)) {
    const match = CLAUSE.exec(clause);
    if (!match || !fields.includes(match[1]!)) {
      problems.push({ path: 'query', message: `cannot read "${clause.trim()}": use ${fields.join('|')} = value or IN (a,b), joined with AND` });
      continue;
    }
    const values = (match[2] !== undefined ? [match[2]] : match[3]!.split(',')).map((value) => value.trim().replace(/^'|'$/g, '')).filter(Boolean);
    clauses.push({ field: match[1]!, values });
  }
  return { clauses, problems };
}

/** Conductor's workflow search `query`: workflowType, status and correlationId. */
export function parseSearchQuery(query: string | undefined): { search: Partial<ExecutionSearch>; problems: FieldProblem[] } {
  const search: { workflowName?: string; status?: IndexedExecutionStatus[]; correlationId?: string } = {};
  const { clauses, problems } = searchClauses(query, Object.keys(FIELD_ALIASES));
  for (const { field: written, values } of clauses) {
    const field = FIELD_ALIASES[written]!;
    if (field === 'status') {
      const bad = values.filter((value) => !(STATUSES as readonly string[]).includes(value));
      if (bad.length > 0) problems.push({ path: 'query', message: `unknown status ${bad.join(', ')}; statuses: ${STATUSES.join(', ')}` });
      search.status = values as IndexedExecutionStatus[];
    } else if (values.length !== 1) {
      problems.push({ path: 'query', message: `${written} takes one value` });
    } else {
      search[field] = values[0];
    }
  }
  return { search, problems };
}
