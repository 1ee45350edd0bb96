import { useState } from 'react';
import { Link } from 'react-router';
import type { Task, Workflow } from '../../api/types';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { JsonView } from '../../components/JsonView';
import { StatusBadge } from '../../components/StatusBadge';
import { attemptsOf, type DiagramNode } from '../../model/diagram-model';
import { formatDuration, formatTime } from '../../model/format';
import { isEnded, isPendingTask } from '../../model/status';
import { controls, parseObject } from './actions';

const SHOWN_ATTEMPTS = 50;
/** Tasks that wait for someone to complete them by reference name. */
const COMPLETABLE_TYPES = new Set(['WAIT', 'HUMAN']);

/** A node's attempts (input, output, worker, reason, retries, times, queue wait) and the controls on it. */
export function TaskPanel({ node, workflow, live, onClose, onDone }: { node: DiagramNode; workflow: Workflow; live: boolean; onClose: () => void; onDone: () => void }) {
  const attempts = attemptsOf(node, workflow.tasks ?? []);
  const latest = attempts.at(-1);
  const [dialog, setDialog] = useState<'skip' | 'complete' | 'rerun'>();
  const [output, setOutput] = useState('{}');
  const id = workflow.workflowId;
  const done = () => onDone();
  const canSkip = live && latest && isPendingTask(latest.status) && !isEnded(workflow.status);
  const canComplete = live && latest && COMPLETABLE_TYPES.has(latest.taskType) && latest.status === 'IN_PROGRESS';
  const canRerun = live && latest && isEnded(workflow.status);
  const shown = attempts.slice(-SHOWN_ATTEMPTS).reverse();
  return (
    <aside className="card panel" aria-label={`Task ${node.ref ?? node.name}`} data-testid="task-panel">
      <div className="row" style={{ justifyContent: 'space-between' }}>
        <h2 style={{ margin: 0 }}>{node.kind === 'branches' ? node.name : node.ref}</h2>
        <button type="button" className="small" onClick={onClose} aria-label="Close the task panel">Close</button>
      </div>
      <div className="row muted" style={{ marginTop: 4 }}>
        <span className="mono">{node.type ?? node.kind}</span>
        {node.name && node.kind === 'task' && node.name !== node.ref && <span>· {node.name}</span>}
        <StatusBadge status={node.status} />
      </div>
      {node.subWorkflowId && <p>Child execution: <Link to={`/executions/${node.subWorkflowId}`}>{node.subWorkflowId}</Link></p>}
      {(canSkip || canComplete || canRerun) && (
        <div className="row" style={{ marginTop: 10 }}>
          {canComplete && <button type="button" className="primary" onClick={() => setDialog('complete')}>Complete {latest.taskType}…</button>}
          {canSkip && <button type="button" onClick={() => setDialog('skip')}>Skip…</button>}
          {canRerun && <button type="button" onClick={() => setDialog('rerun')}>Rerun from here…</button>}
        </div>
      )}
      <p className="muted" style={{ marginBottom: 0 }}>
        {attempts.length === 0 ? 'Not run (yet).' : `${attempts.length.toLocaleString()} attempt${attempts.length === 1 ? '' : 's'}${attempts.length > SHOWN_ATTEMPTS ? `, the latest ${SHOWN_ATTEMPTS} shown` : ''}, newest first.`}
      </p>
      {shown.map((task) => <AttemptView key={task.taskId} task={task} />)}

      <ConfirmDialog open={dialog === 'skip'} title={`Skip ${node.ref}?`} confirmLabel="Skip" onClose={() => setDialog(undefined)} onConfirm={async () => { await controls.skip(id, node.ref!); done(); }}>
        <p className="muted">The pending task counts as done (SKIPPED) and the workflow goes on.</p>
      </ConfirmDialog>
      <ConfirmDialog
        open={dialog === 'complete'}
        title={`Complete ${node.ref}?`}
        confirmLabel="Complete"
        onClose={() => setDialog(undefined)}
        onConfirm={async () => {
          await controls.completeWait(id, node.ref!, parseObject(output, 'The output'));
          done();
        }}
      >
        <label className="field">
          Output (JSON object)
          <textarea rows={6} value={output} onChange={(event) => setOutput(event.target.value)} />
        </label>
      </ConfirmDialog>
      <ConfirmDialog open={dialog === 'rerun'} title={`Rerun from ${node.ref}?`} confirmLabel="Rerun" onClose={() => setDialog(undefined)} onConfirm={async () => { await controls.rerun(id, latest!.taskId); done(); }}>
        <p className="muted">The execution reopens: this task and everything after it run again; what ran before keeps its output.</p>
      </ConfirmDialog>
    </aside>
  );
}

function AttemptView({ task }: { task: Task }) {
  const queueWait = task.startTime ? task.startTime - task.scheduledTime : undefined;
  const ran = task.startTime && task.endTime ? task.endTime - task.startTime : undefined;
  const iteration = task.outputData?.['iteration'];
  return (
    <section className="attempt" aria-label={`Attempt ${task.retryCount + 1}`}>
      <div className="row">
        <StatusBadge status={task.status} />
        <span className="mono muted" title={task.taskId}>{task.taskId}</span>
      </div>
      <dl className="facts" style={{ marginTop: 6 }}>
        <dt>Retry count</dt><dd>{task.retryCount}</dd>
        {typeof iteration === 'number' && task.taskType !== 'DO_WHILE' && <><dt>Iteration</dt><dd>{iteration}</dd></>}
        <dt>Worker</dt><dd className="mono">{task.workerId ?? '—'}</dd>
        <dt>Scheduled</dt><dd>{formatTime(task.scheduledTime)}</dd>
        <dt>Started</dt><dd>{formatTime(task.startTime)}</dd>
        <dt>Ended</dt><dd>{formatTime(task.endTime)}</dd>
        <dt>Queue wait</dt><dd>{formatDuration(queueWait)}</dd>
        <dt>Ran</dt><dd>{formatDuration(ran)}</dd>
        {task.reasonForIncompletion && <><dt>Reason</dt><dd>{task.reasonForIncompletion}</dd></>}
      </dl>
      <details>
        <summary>Input</summary>
        <JsonView value={task.inputData} label="Input" />
      </details>
      <details open={Object.keys(task.outputData ?? {}).length > 0}>
        <summary>Output</summary>
        <JsonView value={task.outputData} label="Output" />
      </details>
      {task.logs && task.logs.length > 0 && (
        <details>
          <summary>Logs ({task.logs.length})</summary>
          <pre className="json">{task.logs.join('\n')}</pre>
        </details>
      )}
    </section>
  );
}
