import { useEffect, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, query } from '../api/client';
import { EXECUTION_STATUSES, type ExecutionSearchPage, type WorkflowDef } from '../api/types';
import { ErrorMessage, Loading } from '../components/ErrorMessage';
import { Pager } from '../components/Pager';
import { StatusBadge } from '../components/StatusBadge';
import { formatAge, formatDuration, formatTime, shortId } from '../model/format';
import { apiQueryOf, filtersFrom, nextSort, PAGE_SIZES, paramsFrom, type ExecutionFilters } from '../model/search-params';
import { statusLabel, toneOf } from '../model/status';

const COLUMNS: readonly { field?: string; label: string; className?: string }[] = [
  { field: 'workflowId', label: 'Execution' },
  { field: 'workflowName', label: 'Workflow' },
  { field: 'status', label: 'Status' },
  { field: 'correlationId', label: 'Correlation id' },
  { field: 'createdAt', label: 'Started' },
  { field: 'endedAt', label: 'Ended' },
  { label: 'Duration', className: 'num' },
];

function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/** Search every execution: filters, counts per status, sortable columns, pages; updates live. */
export function ExecutionsPage() {
  const [params, setParams] = useSearchParams();
  const filters = filtersFrom(params);
  const [draft, setDraft] = useState(filters);
  useEffect(() => setDraft(filtersFrom(params)), [params]);
  const now = useNow(5_000);

  const update = (next: Partial<ExecutionFilters>, resetPage = true) => setParams(paramsFrom({ ...filters, ...next, ...(resetPage ? { start: 0 } : {}) }));
  const search = useQuery({
    queryKey: ['executions', apiQueryOf(filters)],
    queryFn: ({ signal }) => api.get<ExecutionSearchPage>(`/api/executions${query(apiQueryOf(filters))}`, signal),
    placeholderData: keepPreviousData,
  });
  const definitions = useQuery({ queryKey: ['definitions'], queryFn: () => api.get<WorkflowDef[]>('/api/metadata/workflow') });
  const workflowNames = [...new Set((definitions.data ?? []).map((definition) => definition.name))].sort();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    update({ workflowName: draft.workflowName, workflowVersion: draft.workflowVersion, correlationId: draft.correlationId.trim(), from: draft.from, to: draft.to, freeText: draft.freeText.trim() });
  };
  const toggleStatus = (status: (typeof EXECUTION_STATUSES)[number]) =>
    update({ statuses: filters.statuses.includes(status) ? filters.statuses.filter((s) => s !== status) : [...filters.statuses, status] });
  const setWindow = (hours: number | undefined) => {
    const local = (date: Date) => new Date(date.getTime() - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
    update({ from: hours === undefined ? '' : local(new Date(Date.now() - hours * 3_600_000)), to: '' });
  };
  const counts = search.data?.statusCounts ?? {};
  const allCount = Object.values(counts).reduce((sum, count) => sum + (count ?? 0), 0);
  const [sortField, sortDirection] = filters.sort.split(':');

  return (
    <>
      <div className="page-head">
        <h1>Executions</h1>
        <span className="sub">{search.data ? `${search.data.totalHits.toLocaleString()} matching` : ''}</span>
      </div>

      <form className="card" onSubmit={submit} aria-label="Search executions">
        <div className="filters">
          <label className="field">
            Workflow
            <select value={draft.workflowName} onChange={(event) => setDraft({ ...draft, workflowName: event.target.value, workflowVersion: '' })}>
              <option value="">any</option>
              {workflowNames.map((name) => <option key={name} value={name}>{name}</option>)}
            </select>
          </label>
          <label className="field">
            Version
            <input inputMode="numeric" placeholder="any" value={draft.workflowVersion} onChange={(event) => setDraft({ ...draft, workflowVersion: event.target.value.replace(/\D/g, '') })} />
          </label>
          <label className="field">
            Correlation id
            <input value={draft.correlationId} onChange={(event) => setDraft({ ...draft, correlationId: event.target.value })} placeholder="exact" />
          </label>
          <label className="field">
            Started from
            <input type="datetime-local" value={draft.from} onChange={(event) => setDraft({ ...draft, from: event.target.value })} />
          </label>
          <label className="field">
            Started before
            <input type="datetime-local" value={draft.to} onChange={(event) => setDraft({ ...draft, to: event.target.value })} />
          </label>
          <label className="field">
            Free text
            <input type="search" value={draft.freeText} onChange={(event) => setDraft({ ...draft, freeText: event.target.value })} placeholder="id, correlation, name" data-testid="free-text" />
          </label>
        </div>
        <div className="row" style={{ marginTop: 12 }}>
          <button type="submit" className="primary">Search</button>
          <button type="button" onClick={() => setParams(new URLSearchParams())}>Clear</button>
          <span className="muted">Time window:</span>
          <button type="button" className="small" onClick={() => setWindow(1)}>last hour</button>
          <button type="button" className="small" onClick={() => setWindow(24)}>24 hours</button>
          <button type="button" className="small" onClick={() => setWindow(24 * 7)}>7 days</button>
          <button type="button" className="small" onClick={() => setWindow(undefined)}>all time</button>
        </div>
      </form>

      <div className="card">
        <div className="row" style={{ justifyContent: 'space-between', marginBottom: 10 }}>
          <div className="chips" role="group" aria-label="Filter by status">
            <button type="button" className="chip tone-neutral" aria-pressed={filters.statuses.length === 0} onClick={() => update({ statuses: [] })}>
              All<span className="count">{allCount.toLocaleString()}</span>
            </button>
            {EXECUTION_STATUSES.map((status) => (
              <button key={status} type="button" className={`chip tone-${toneOf(status)}`} aria-pressed={filters.statuses.includes(status)} onClick={() => toggleStatus(status)} data-testid={`count-${status}`}>
                {statusLabel(status)}<span className="count">{(counts[status] ?? 0).toLocaleString()}</span>
              </button>
            ))}
          </div>
          <label className="row muted">
            Per page
            <select value={filters.size} onChange={(event) => update({ size: Number(event.target.value) })}>
              {PAGE_SIZES.map((size) => <option key={size}>{size}</option>)}
            </select>
          </label>
        </div>
        <ErrorMessage error={search.error} />
        {search.isPending ? (
          <Loading what="executions" />
        ) : search.data && search.data.results.length === 0 ? (
          <div className="empty">No execution matches this search.</div>
        ) : search.data ? (
          <div className="table-wrap">
            <table className="data" data-testid="executions">
              <thead>
                <tr>
                  {COLUMNS.map((column) => (
                    <th key={column.label} className={column.className} aria-sort={column.field === sortField ? (sortDirection === 'ASC' ? 'ascending' : 'descending') : undefined}>
                      {column.field ? (
                        <button type="button" className="sort" onClick={() => update({ sort: nextSort(filters.sort, column.field!) }, false)}>
                          {column.label} {column.field === sortField ? (sortDirection === 'ASC' ? '▲' : '▼') : ''}
                        </button>
                      ) : (
                        column.label
                      )}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {search.data.results.map((execution) => (
                  <tr key={execution.executionId} data-execution={execution.executionId}>
                    <td className="mono">
                      <Link to={`/executions/${execution.executionId}`} title={execution.executionId}>{shortId(execution.executionId, 13)}</Link>
                    </td>
                    <td>
                      {execution.workflowName} <span className="muted">v{execution.workflowVersion}</span>
                    </td>
                    <td>
                      <StatusBadge status={execution.status} />
                      {execution.reason && <div className="muted" style={{ fontSize: 12, maxWidth: 280 }}>{execution.reason}</div>}
                    </td>
                    <td className="mono">{execution.correlationId ?? '—'}</td>
                    <td title={formatTime(execution.createdAt)}>{formatAge(execution.createdAt, now)}</td>
                    <td title={formatTime(execution.endedAt)}>{execution.endedAt ? formatAge(execution.endedAt, now) : '—'}</td>
                    <td className="num">{formatDuration((execution.endedAt ?? now) - execution.createdAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
        {search.data && <Pager start={filters.start} size={filters.size} total={search.data.totalHits} onChange={(start) => update({ start }, false)} />}
      </div>
    </>
  );
}
