import { Fragment, useState } from 'react';
import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { api, query } from '../api/client';
import type { DeadLetterPage, EventHandler, QuarantinedEvent, QueuesReport, TaskStats, ThrottledTask } from '../api/types';
import { BarChart, type BarRow } from '../components/BarChart';
import { ErrorMessage, Loading } from '../components/ErrorMessage';
import { formatDuration, formatTime, shortId } from '../model/format';
import { statusLabel, toneOf } from '../model/status';

const REFRESH_MS = 5_000;

/** Queues, throttled tasks, dead letters, quarantined events, event handlers and the task report, for operators. */
export function OperationsPage() {
  return (
    <>
      <div className="page-head">
        <h1>Operations</h1>
        <span className="sub">JetStream figures are read every 5 s; the rest follows the log.</span>
      </div>
      <div className="stack">
        <Queues />
        <div className="grid-2">
          <Throttled />
          <EventHandlers />
        </div>
        <TaskReport />
        <DeadLetters />
        <Quarantine />
      </div>
    </>
  );
}

function Queues() {
  const queues = useQuery({ queryKey: ['operations', 'queues'], queryFn: () => api.get<QueuesReport>('/api/operations/queues'), refetchInterval: REFRESH_MS });
  return (
    <section className="card" aria-labelledby="queues-title">
      <h2 id="queues-title">Queues and pending tasks per task type</h2>
      <ErrorMessage error={queues.error} />
      {queues.isPending ? <Loading what="queues" /> : queues.data && (
        <>
          <div className="table-wrap">
            <table className="data compact" data-testid="queues">
              <thead>
                <tr>
                  <th>Task type</th>
                  <th className="num" title="commands stored in BATON_TASKS">In queue</th>
                  <th className="num" title="stored, not delivered to a worker yet">Undelivered</th>
                  <th className="num" title="delivered, not acknowledged: being worked on">In flight</th>
                  <th className="num" title="delivered more than once">Redelivered</th>
                  <th className="num" title="pull requests waiting: idle workers">Idle pulls</th>
                  <th className="num" title="attempts SCHEDULED in the read model">Scheduled</th>
                  <th className="num" title="attempts IN_PROGRESS in the read model">In progress</th>
                  <th className="num">Throttled</th>
                  <th>Oldest pending</th>
                  <th>Limits</th>
                </tr>
              </thead>
              <tbody>
                {queues.data.taskTypes.map((row) => (
                  <tr key={row.taskType} data-task-type={row.taskType}>
                    <td className="mono">{row.taskType}</td>
                    <td className="num">{row.stream?.messages ?? 0}</td>
                    <td className="num">{row.stream?.consumer?.pending ?? '—'}</td>
                    <td className="num">{row.stream?.consumer?.ackPending ?? '—'}</td>
                    <td className="num">{row.stream?.consumer?.redelivered ?? '—'}</td>
                    <td className="num">{row.stream?.consumer ? row.stream.consumer.waitingPulls : <span className="muted" title="no worker has bound its durable">no workers</span>}</td>
                    <td className="num">{row.pending?.scheduled ?? 0}</td>
                    <td className="num">{row.pending?.inProgress ?? 0}</td>
                    <td className="num">{row.pending?.throttled ?? 0}</td>
                    <td>{row.pending ? formatTime(row.pending.oldestScheduledAt) : '—'}</td>
                    <td>{row.limits ? [row.limits.concurrentExecLimit ? `${row.limits.concurrentExecLimit} at once` : '', row.limits.rateLimitPerFrequency ? `${row.limits.rateLimitPerFrequency}/${row.limits.rateLimitFrequencyInSeconds ?? 1} s` : ''].filter(Boolean).join(', ') : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {queues.data.results && (
            <p className="muted" style={{ marginBottom: 0 }}>
              Results waiting for the orchestrator: {queues.data.results.pending} undelivered, {queues.data.results.ackPending} being applied, {queues.data.results.redelivered} redelivered.
            </p>
          )}
        </>
      )}
    </section>
  );
}

function Throttled() {
  const throttled = useQuery({ queryKey: ['operations', 'throttled'], queryFn: () => api.get<ThrottledTask[]>('/api/operations/throttled'), refetchInterval: REFRESH_MS });
  return (
    <section className="card" aria-labelledby="throttled-title">
      <h2 id="throttled-title">Throttled tasks</h2>
      <ErrorMessage error={throttled.error} />
      {throttled.isPending ? <Loading what="throttled tasks" /> : throttled.data && throttled.data.length === 0 ? (
        <div className="empty">No task is waiting for a rate or concurrency limit.</div>
      ) : (
        <table className="data" data-testid="throttled">
          <thead><tr><th>Task</th><th>Execution</th><th>Limit</th><th>Waiting since</th></tr></thead>
          <tbody>
            {(throttled.data ?? []).map((task) => (
              <tr key={task.taskId}>
                <td className="mono">{task.taskDefName} <span className="muted">#{task.attempt}</span></td>
                <td className="mono"><Link to={`/executions/${task.executionId}`}>{shortId(task.executionId)}</Link></td>
                <td>{task.reason === 'RATE_LIMIT' ? `rate ${task.limit}` : `${task.limit} at once`}</td>
                <td>{formatTime(task.throttledAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** Events a read model could not apply (skipped so the others are applied); normally none. */
function Quarantine() {
  const quarantined = useQuery({ queryKey: ['operations', 'quarantine'], queryFn: () => api.get<QuarantinedEvent[]>('/api/operations/quarantine'), refetchInterval: REFRESH_MS });
  return (
    <section className="card" aria-labelledby="quarantine-title">
      <h2 id="quarantine-title">Quarantined events</h2>
      <ErrorMessage error={quarantined.error} />
      {quarantined.isPending ? <Loading what="quarantined events" /> : quarantined.data && quarantined.data.length === 0 ? (
        <div className="empty">Every stored event was applied to the read models.</div>
      ) : (
        <table className="data" data-testid="quarantine">
          <thead><tr><th>Event</th><th>Execution</th><th>Error</th><th>Quarantined</th></tr></thead>
          <tbody>
            {(quarantined.data ?? []).map((event) => (
              <tr key={`${event.projection}-${event.eventId}`}>
                <td className="mono">{event.eventType} <span className="muted">#{event.revision}</span></td>
                <td className="mono">
                  {event.streamName.startsWith('execution-') ? <Link to={`/executions/${event.streamName.slice('execution-'.length)}`}>{shortId(event.streamName.slice('execution-'.length))}</Link> : event.streamName}
                </td>
                <td>{event.error}</td>
                <td>{formatTime(event.quarantinedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function EventHandlers() {
  const handlers = useQuery({ queryKey: ['operations', 'handlers'], queryFn: () => api.get<EventHandler[]>('/api/event') });
  return (
    <section className="card" aria-labelledby="handlers-title">
      <h2 id="handlers-title">Event handlers</h2>
      <ErrorMessage error={handlers.error} />
      {handlers.isPending ? <Loading what="event handlers" /> : handlers.data && handlers.data.length === 0 ? (
        <div className="empty">No event handler is registered.</div>
      ) : (
        <table className="data" data-testid="handlers">
          <thead><tr><th>Name</th><th>Event</th><th>Actions</th><th>State</th></tr></thead>
          <tbody>
            {(handlers.data ?? []).map((handler) => (
              <tr key={handler.name}>
                <td className="mono">{handler.name}</td>
                <td className="mono">{handler.event}{handler.condition ? <div className="muted">if {handler.condition}</div> : null}</td>
                <td>{handler.actions.map((action) => action.action).join(', ')}</td>
                <td><span className={`badge tone-${handler.active ? 'success' : 'idle'}`}>{handler.active ? 'Active' : 'Inactive'}</span></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

const REPORT_STATUSES = ['COMPLETED', 'COMPLETED_WITH_ERRORS', 'FAILED', 'FAILED_WITH_TERMINAL_ERROR', 'TIMED_OUT', 'CANCELED', 'SKIPPED', 'IN_PROGRESS', 'SCHEDULED'] as const;

function TaskReport() {
  const [workflowName, setWorkflowName] = useState('');
  const report = useQuery({ queryKey: ['operations', 'report', workflowName], queryFn: () => api.get<TaskStats[]>(`/api/reports/tasks${query({ workflowName: workflowName || undefined })}`) });
  const stats = report.data ?? [];
  const attempts: BarRow[] = stats.map((row) => ({
    label: row.taskDefName,
    segments: REPORT_STATUSES.map((status) => ({ value: row.byStatus[status] ?? 0, tone: toneOf(status), title: `${row.byStatus[status] ?? 0} ${statusLabel(status).toLowerCase()}` })),
    valueLabel: `${row.total.toLocaleString()}`,
  }));
  const durations: BarRow[] = stats.map((row) => ({
    label: row.taskDefName,
    segments: [{ value: row.avgDurationMs ?? 0, tone: 'running', title: `average ${formatDuration(row.avgDurationMs)}` }],
    valueLabel: `${formatDuration(row.avgDurationMs)} · p50 ${formatDuration(row.p50DurationMs)}`,
  }));
  const waits: BarRow[] = stats.map((row) => ({
    label: row.taskDefName,
    segments: [{ value: row.avgQueueWaitMs ?? 0, tone: 'pending', title: `average queue wait ${formatDuration(row.avgQueueWaitMs)}` }],
    valueLabel: formatDuration(row.avgQueueWaitMs),
  }));
  return (
    <section className="card" aria-labelledby="report-title">
      <div className="row" style={{ justifyContent: 'space-between', marginBottom: 8 }}>
        <h2 id="report-title" style={{ margin: 0 }}>Task report</h2>
        <label className="row muted">
          Workflow
          <input value={workflowName} onChange={(event) => setWorkflowName(event.target.value.trim())} placeholder="all" />
        </label>
      </div>
      <ErrorMessage error={report.error} />
      {report.isPending ? <Loading what="the task report" /> : (
        <div className="grid-2" data-testid="task-report">
          <div><h3>Attempts by status</h3><BarChart rows={attempts} caption="Attempts by status per task type" /></div>
          <div><h3>Duration (average, median)</h3><BarChart rows={durations} caption="Average duration per task type" /></div>
          <div><h3>Queue wait (average)</h3><BarChart rows={waits} caption="Average queue wait per task type" /></div>
          <div className="legend" style={{ alignContent: 'start' }}>
            {REPORT_STATUSES.map((status) => <span key={status} className={`badge tone-${toneOf(status)}`}>{statusLabel(status)}</span>)}
          </div>
        </div>
      )}
    </section>
  );
}

function DeadLetters() {
  const [before, setBefore] = useState<number[]>([]);
  const beforeSeq = before.at(-1);
  const letters = useQuery({
    queryKey: ['operations', 'dead-letters', beforeSeq],
    queryFn: () => api.get<DeadLetterPage>(`/api/operations/dead-letters${query({ limit: 25, beforeSeq })}`),
    refetchInterval: beforeSeq === undefined ? REFRESH_MS : false,
  });
  const [open, setOpen] = useState<number>();
  const page = letters.data;
  return (
    <section className="card" aria-labelledby="dlq-title">
      <div className="row" style={{ justifyContent: 'space-between' }}>
        <h2 id="dlq-title" style={{ margin: 0 }}>Dead letters {page ? <span className="muted">({page.total.toLocaleString()} kept)</span> : null}</h2>
        <div className="row">
          <button type="button" className="small" onClick={() => setBefore(before.slice(0, -1))} disabled={before.length === 0}>Newer</button>
          <button type="button" className="small" onClick={() => page?.letters.length && setBefore([...before, page.letters.at(-1)!.seq])} disabled={!page || page.letters.length === 0 || page.letters.at(-1)!.seq <= page.firstSeq}>Older</button>
        </div>
      </div>
      <ErrorMessage error={letters.error} />
      {letters.isPending ? <Loading what="dead letters" /> : page && page.letters.length === 0 ? (
        <div className="empty">No dead letter. Every message was processed.</div>
      ) : page && (
        <table className="data" data-testid="dead-letters" style={{ marginTop: 8 }}>
          <thead><tr><th className="num">Seq</th><th>When</th><th>Code</th><th>Reason</th><th>From</th><th>Execution</th></tr></thead>
          <tbody>
            {page.letters.map((letter) => (
              <Fragment key={letter.seq}>
                <tr data-code={letter.code}>
                  <td className="num mono">{letter.seq}</td>
                  <td>{formatTime(letter.time)}</td>
                  <td><span className="badge tone-danger">{letter.code ?? 'unknown'}</span></td>
                  <td style={{ maxWidth: 420 }}>
                    {letter.reason ?? '—'}
                    <div><button type="button" className="link" aria-expanded={open === letter.seq} onClick={() => setOpen(open === letter.seq ? undefined : letter.seq)}>{open === letter.seq ? 'hide body' : 'show body'}</button></div>
                  </td>
                  <td className="mono">{letter.originSubject ?? letter.subject}<div className="muted">{letter.consumer}{letter.deliveries ? ` · ${letter.deliveries} deliveries` : ''}</div></td>
                  <td className="mono">{letter.executionId ? <Link to={`/executions/${letter.executionId}`}>{shortId(letter.executionId)}</Link> : '—'}</td>
                </tr>
                {open === letter.seq && (
                  <tr><td colSpan={6}><pre className="json">{letter.body}{letter.truncated ? '\n… (cut at 4 KiB)' : ''}</pre></td></tr>
                )}
              </Fragment>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
