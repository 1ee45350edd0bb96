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

/**
 * Conductor's search `query` (the subset users write): clauses `field = value` or
 * `field IN (a, b)` joined with AND, on workflowType, status and correlationId.
 */
export function parseSearchQuery(query: string | undefined): { search: Partial<ExecutionSearch>; problems: FieldProblem[] } {
  const search: { workflowName?: string; status?: IndexedExecutionStatus[]; correlationId?: string } = {};
  const problems: FieldProblem[] = [];
  if (!query || query.trim() === '' || query.trim() === '*') return { search, problems };
  for (const clause of query.split(/\s+AND\s+/i)) {
    const match = CLAUSE.exec(clause);
    const field = match ? FIELD_ALIASES[match[1]!] : undefined;
    if (!match || !field) {
      problems.push({ path: 'query', message: `cannot read "${clause.trim()}": use workflowType|status|correlationId = value or IN (a,b), joined with AND` });
      continue;
    }
    const values = (match[2] !== undefined ? [match[2]] : match[3]!.split(',')).map((value) => value.trim().replace(/^'|'$/g, '')).filter(Boolean);
    if (field === 'status') {
      const bad = values.filter((value) => !(STATUSES as readonly string[]).includes(value));
      if (bad.length > 0) problems.push({ path: 'query', message: `unknown status ${bad.join(', ')}; statuses: ${STATUSES.join(', ')}` });
      search.status = values as IndexedExecutionStatus[];
    } else if (values.length !== 1) {
      problems.push({ path: 'query', message: `${match[1]} takes one value` });
    } else {
      search[field] = values[0];
    }
  }
  return { search, problems };
}
