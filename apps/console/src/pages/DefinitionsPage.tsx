import { useMemo, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import type { TaskDef, WorkflowDef } from '../api/types';
import { Diagram } from '../components/Diagram';
import { ErrorMessage, Loading } from '../components/ErrorMessage';
import { JsonView } from '../components/JsonView';
import { Tabs } from '../components/Tabs';
import { buildDiagram } from '../model/diagram-model';

/** Workflow definitions by name with their versions, and task definitions. */
export function DefinitionsPage() {
  const [tab, setTab] = useState<'workflows' | 'tasks'>('workflows');
  const workflows = useQuery({ queryKey: ['definitions'], queryFn: () => api.get<WorkflowDef[]>('/api/metadata/workflow') });
  const taskDefs = useQuery({ queryKey: ['taskdefs'], queryFn: () => api.get<TaskDef[]>('/api/metadata/taskdefs'), enabled: tab === 'tasks' });
  const byName = useMemo(() => {
    const groups = new Map<string, WorkflowDef[]>();
    for (const definition of workflows.data ?? []) groups.set(definition.name, [...(groups.get(definition.name) ?? []), definition]);
    return [...groups].sort(([a], [b]) => a.localeCompare(b));
  }, [workflows.data]);
  return (
    <>
      <div className="page-head">
        <h1>Definitions</h1>
        <span className="spacer" />
        <Link className="button primary" to="/definitions/new" style={{ background: 'var(--accent)', color: 'var(--accent-fg)' }}>New workflow…</Link>
      </div>
      <Tabs label="Definition kinds" tabs={[{ id: 'workflows', label: 'Workflows' }, { id: 'tasks', label: 'Task definitions' }]} active={tab} onChange={setTab} />
      {tab === 'workflows' && (
        <div className="card">
          <ErrorMessage error={workflows.error} />
          {workflows.isPending ? <Loading what="definitions" /> : byName.length === 0 ? <div className="empty">No workflow is registered yet.</div> : (
            <table className="data" data-testid="workflow-definitions">
              <thead><tr><th>Name</th><th>Versions</th><th>Tasks</th><th>Failure workflow</th><th>Description</th></tr></thead>
              <tbody>
                {byName.map(([name, versions]) => {
                  const latest = versions.reduce((a, b) => ((a.version ?? 1) >= (b.version ?? 1) ? a : b));
                  return (
                    <tr key={name}>
                      <td><Link to={`/definitions/${encodeURIComponent(name)}/${latest.version ?? 1}`}>{name}</Link></td>
                      <td>{versions.map((definition) => (
                        <Link key={definition.version} to={`/definitions/${encodeURIComponent(name)}/${definition.version ?? 1}`} style={{ marginRight: 8 }}>v{definition.version ?? 1}</Link>
                      ))}</td>
                      <td className="num">{latest.tasks.length}</td>
                      <td>{latest.failureWorkflow || '—'}</td>
                      <td className="muted">{latest.description ?? ''}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}
        </div>
      )}
      {tab === 'tasks' && (
        <div className="card">
          <ErrorMessage error={taskDefs.error} />
          {taskDefs.isPending ? <Loading what="task definitions" /> : (
            <table className="data" data-testid="task-definitions">
              <thead><tr><th>Name</th><th className="num">Retries</th><th>Retry logic</th><th className="num">Response timeout</th><th className="num">Timeout</th><th>Policy</th><th>Limits</th></tr></thead>
              <tbody>
                {(taskDefs.data ?? []).map((def) => (
                  <tr key={def.name}>
                    <td className="mono">{def.name}</td>
                    <td className="num">{def.retryCount ?? 3}</td>
                    <td>{def.retryLogic ?? 'FIXED'} {def.retryDelaySeconds !== undefined ? `· ${def.retryDelaySeconds} s` : ''}</td>
                    <td className="num">{def.responseTimeoutSeconds ?? 3600} s</td>
                    <td className="num">{def.timeoutSeconds ? `${def.timeoutSeconds} s` : '—'}</td>
                    <td>{def.timeoutPolicy ?? 'TIME_OUT_WF'}</td>
                    <td>{[def.concurrentExecLimit ? `${def.concurrentExecLimit} at once` : '', def.rateLimitPerFrequency ? `${def.rateLimitPerFrequency} per ${def.rateLimitFrequencyInSeconds ?? 1} s` : ''].filter(Boolean).join(', ') || '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
    </>
  );
}

/** One version of a workflow: its diagram and its JSON. */
export function DefinitionPage() {
  const { name = '', version = '1' } = useParams();
  const navigate = useNavigate();
  const definition = useQuery({
    queryKey: ['definition', name, version],
    queryFn: () => api.get<WorkflowDef>(`/api/metadata/workflow/${encodeURIComponent(name)}?version=${encodeURIComponent(version)}`),
  });
  const diagram = useMemo(() => (definition.data ? buildDiagram(definition.data) : undefined), [definition.data]);
  return (
    <>
      <div className="page-head">
        <h1>{name} <span className="muted" style={{ fontWeight: 400 }}>v{version}</span></h1>
        <span className="spacer" />
        <Link className="button" to={`/executions?workflow=${encodeURIComponent(name)}&version=${encodeURIComponent(version)}`}>Its executions</Link>
        <button type="button" onClick={() => navigate(`/definitions/new?from=${encodeURIComponent(name)}&version=${encodeURIComponent(version)}`)}>Edit as a new version…</button>
      </div>
      <ErrorMessage error={definition.error} />
      {definition.isPending && <Loading what="the definition" />}
      {definition.data && diagram && (
        <div className="grid-2" style={{ gridTemplateColumns: 'minmax(0, 3fr) minmax(0, 2fr)' }}>
          <Diagram diagram={diagram} />
          <div className="card">
            <h2>JSON</h2>
            <pre className="json" style={{ maxHeight: 560 }} tabIndex={0}>{JSON.stringify(definition.data, null, 2)}</pre>
          </div>
        </div>
      )}
      {definition.data?.description && <p className="muted">{definition.data.description}</p>}
      {definition.data && <JsonView value={{ inputParameters: definition.data.inputParameters ?? [], outputParameters: definition.data.outputParameters ?? {} }} label="Inputs and outputs" />}
    </>
  );
}
