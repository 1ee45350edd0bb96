import { useCallback, useEffect, useMemo, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client';
import type { ExecutionLinks, HistoryEntry, StateAt, Workflow } from '../api/types';
import { Diagram } from '../components/Diagram';
import { ErrorMessage, Loading } from '../components/ErrorMessage';
import { JsonView } from '../components/JsonView';
import { StatusBadge } from '../components/StatusBadge';
import { Tabs } from '../components/Tabs';
import { Timeline } from '../components/Timeline';
import { buildDiagram, type DiagramNode } from '../model/diagram-model';
import { formatDuration, formatTime } from '../model/format';
import { ExecutionActions } from './execution/ExecutionActions';
import { HistoryView } from './execution/HistoryView';
import { TaskPanel } from './execution/TaskPanel';
import { TimeTravelBar } from './execution/TimeTravelBar';

type Tab = 'diagram' | 'timeline' | 'data' | 'history';
const TABS: readonly { id: Tab; label: string }[] = [
  { id: 'diagram', label: 'Diagram' },
  { id: 'timeline', label: 'Timeline' },
  { id: 'data', label: 'Input, output, variables' },
  { id: 'history', label: 'History & audit' },
];

/** One execution: its diagram, timeline, data, history; operator controls; time travel to any revision. */
export function ExecutionPage() {
  const { id = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const client = useQueryClient();
  const tab = (TABS.find((entry) => entry.id === params.get('tab'))?.id ?? 'diagram') as Tab;
  const travelParam = params.get('rev');
  const revision = travelParam !== null && /^\d+$/.test(travelParam) ? Number(travelParam) : undefined;
  const [selected, setSelected] = useState<string>();
  const setParam = (key: string, value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value === undefined) next.delete(key);
    else next.set(key, value);
    setParams(next, { replace: key === 'rev' });
  };

  const path = `/api/workflow/${encodeURIComponent(id)}`;
  const live = useQuery({ queryKey: ['execution', id], queryFn: ({ signal }) => api.get<Workflow>(path, signal) });
  const links = useQuery({ queryKey: ['links', id], queryFn: ({ signal }) => api.get<ExecutionLinks>(`/api/executions/${encodeURIComponent(id)}/links`, signal) });
  const needsHistory = tab === 'history' || revision !== undefined;
  const history = useQuery({ queryKey: ['history', id], queryFn: ({ signal }) => api.get<HistoryEntry[]>(`${path}/history`, signal), enabled: needsHistory });
  const past = useQuery({
    queryKey: ['state', id, revision],
    queryFn: ({ signal }) => api.get<StateAt>(`${path}/state?atRevision=${revision}`, signal),
    enabled: revision !== undefined,
    placeholderData: keepPreviousData,
  });
  const workflow = revision !== undefined ? past.data?.workflow : live.data;
  const tasks = useMemo(() => workflow?.tasks ?? [], [workflow]);
  const diagram = useMemo(() => (workflow?.workflowDefinition ? buildDiagram(workflow.workflowDefinition, tasks, workflow.status) : undefined), [workflow, tasks]);
  const selectedNode = diagram?.nodes.find((node) => node.id === selected);
  const onSelect = useCallback((node: DiagramNode) => setSelected((current) => (current === node.id ? undefined : node.id)), []);
  const refresh = () => {
    for (const key of ['execution', 'history', 'links']) void client.invalidateQueries({ queryKey: [key, id] });
  };
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => setNow(Date.now()), [workflow]);

  if (live.error && !live.data) {
    return (
      <>
        <div className="page-head"><h1>Execution</h1><span className="mono sub">{id}</span></div>
        <ErrorMessage error={live.error} />
        <p><Link to="/executions">Back to the executions</Link></p>
      </>
    );
  }
  if (!live.data) return <Loading what="the execution" />;
  const current = live.data;
  const shown = workflow ?? current;
  const ended = shown.endTime || undefined;

  return (
    <div data-testid="execution-page" data-status={current.status} data-ready={diagram ? 'true' : 'false'}>
      <div className="page-head">
        <h1>{current.workflowName} <span className="muted" style={{ fontWeight: 400 }}>v{current.workflowVersion}</span></h1>
        <StatusBadge status={current.status} />
        <span className="mono sub" title="execution id">{current.workflowId}</span>
        <span className="spacer" />
        {revision === undefined && <button type="button" onClick={() => setParam('rev', String(0))} data-testid="start-time-travel">Time travel</button>}
        {revision === undefined && <ExecutionActions workflow={current} onDone={refresh} />}
      </div>

      {revision !== undefined && history.data && (
        <TimeTravelBar history={history.data} revision={revision} onChange={(next) => setParam('rev', String(next))} onExit={() => setParam('rev', undefined)} />
      )}
      {revision !== undefined && <ErrorMessage error={past.error ?? history.error} />}

      <div className="card" style={{ marginTop: revision !== undefined ? 16 : 0 }}>
        <div className="grid-2">
          <dl className="facts">
            <dt>Status {revision !== undefined && 'then'}</dt><dd><StatusBadge status={shown.status} /></dd>
            <dt>Correlation id</dt><dd className="mono">{shown.correlationId ?? '—'}</dd>
            <dt>Started</dt><dd>{formatTime(shown.createTime)}</dd>
            <dt>Ended</dt><dd>{formatTime(ended)}</dd>
            <dt>Duration</dt><dd>{formatDuration((ended ?? now) - (shown.createTime ?? now))}</dd>
            {shown.reasonForIncompletion && <><dt>Reason</dt><dd data-testid="reason">{shown.reasonForIncompletion}</dd></>}
          </dl>
          <dl className="facts">
            <dt>Idempotency key</dt><dd className="mono">{shown.idempotencyKey ?? '—'}</dd>
            <dt>Parent</dt>
            <dd>{shown.parentWorkflowId ? <Link to={`/executions/${shown.parentWorkflowId}`}>{links.data?.parent?.workflowName ?? 'parent'} · {shown.parentWorkflowId}</Link> : '—'}</dd>
            <dt>Children</dt>
            <dd>
              {links.data?.children.length ? links.data.children.map((child) => (
                <div key={child.executionId}><Link to={`/executions/${child.executionId}`}>{child.workflowName}</Link> <StatusBadge status={child.status} /></div>
              )) : '—'}
            </dd>
            <dt>Failure workflow</dt>
            <dd data-testid="failure-links">
              {links.data?.failureWorkflows.map((run) => (
                <div key={run.executionId}><Link to={`/executions/${run.executionId}`}>{run.workflowName}</Link> <StatusBadge status={run.status} /></div>
              ))}
              {links.data?.compensates && (
                <div>compensates <Link to={`/executions/${links.data.compensates.executionId}`}>{links.data.compensates.workflowName} · {links.data.compensates.executionId}</Link></div>
              )}
              {!links.data?.failureWorkflows.length && !links.data?.compensates && (shown.workflowDefinition?.failureWorkflow ? <span className="muted">{shown.workflowDefinition.failureWorkflow} (not started)</span> : '—')}
            </dd>
          </dl>
        </div>
      </div>

      <div style={{ marginTop: 16 }}>
        <Tabs label="Execution views" tabs={TABS} active={tab} onChange={(next) => setParam('tab', next === 'diagram' ? undefined : next)} />
        {tab === 'diagram' && (
          <div className={`diagram-area${selectedNode ? '' : ' no-panel'}`}>
            <div>
              {diagram ? <Diagram diagram={diagram} selectedId={selected} onSelect={onSelect} /> : <div className="card empty">This execution has no definition snapshot.</div>}
              <div className="legend" aria-label="Legend">
                <span>{tasks.length.toLocaleString()} task attempts</span>
                <span>Click a task (or Tab to it and press Enter) for its attempts.</span>
                <span>Solid green edges: the path the run took.</span>
              </div>
            </div>
            {selectedNode && shown && <TaskPanel node={selectedNode} workflow={shown} live={revision === undefined} onClose={() => setSelected(undefined)} onDone={refresh} />}
          </div>
        )}
        {tab === 'timeline' && (
          <div className="card">
            <Timeline tasks={tasks} now={now} onSelect={(ref) => { setSelected(`t:${ref}`); setParam('tab', undefined); }} />
          </div>
        )}
        {tab === 'data' && (
          <div className="grid-2">
            <div className="card"><h2>Input</h2><JsonView value={shown.input} label="Workflow input" /></div>
            <div className="card"><h2>Output</h2><JsonView value={shown.output} label="Workflow output" /></div>
            <div className="card"><h2>Variables</h2><JsonView value={shown.variables} label="Workflow variables" /></div>
            <div className="card"><h2>Definition snapshot</h2><JsonView value={shown.workflowDefinition} label="Definition" /></div>
          </div>
        )}
        {tab === 'history' && (
          <HistoryView executionId={id} history={history.data} error={history.error} selectedRevision={revision} onTravel={(next) => {
            const travel = new URLSearchParams(params);
            travel.set('rev', String(next));
            travel.delete('tab');
            setParams(travel);
          }} />
        )}
      </div>
    </div>
  );
}
