import { useState } from 'react';
import type { Workflow } from '../../api/types';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { controls } from './actions';

type Action = 'pause' | 'resume' | 'terminate' | 'retry' | 'restart';

/** The execution-wide operator controls that make sense in its status, each behind a confirmation. */
export function ExecutionActions({ workflow, onDone }: { workflow: Workflow; onDone: () => void }) {
  const [open, setOpen] = useState<Action>();
  const [reason, setReason] = useState('');
  const [useLatest, setUseLatest] = useState(false);
  const id = workflow.workflowId;
  const status = workflow.status;
  const ended = status === 'COMPLETED' || status === 'FAILED' || status === 'TERMINATED' || status === 'TIMED_OUT';
  const run = (action: () => Promise<unknown>) => async () => {
    await action();
    onDone();
  };
  const close = () => setOpen(undefined);
  return (
    <div className="row" role="group" aria-label="Operator actions">
      {status === 'RUNNING' && <button type="button" onClick={() => setOpen('pause')}>Pause</button>}
      {status === 'PAUSED' && <button type="button" onClick={() => setOpen('resume')}>Resume</button>}
      {(status === 'RUNNING' || status === 'PAUSED') && <button type="button" className="danger" onClick={() => setOpen('terminate')}>Terminate…</button>}
      {(status === 'FAILED' || status === 'TIMED_OUT' || status === 'TERMINATED') && <button type="button" onClick={() => setOpen('retry')}>Retry</button>}
      {ended && <button type="button" onClick={() => setOpen('restart')}>Restart…</button>}

      <ConfirmDialog open={open === 'pause'} title="Pause this execution?" confirmLabel="Pause" onClose={close} onConfirm={run(() => controls.pause(id))}>
        <p className="muted">Results are still recorded and timers still fire, but nothing new is scheduled until it is resumed.</p>
      </ConfirmDialog>
      <ConfirmDialog open={open === 'resume'} title="Resume this execution?" confirmLabel="Resume" onClose={close} onConfirm={run(() => controls.resume(id))}>
        <p className="muted">What it owes since it was paused runs now, in order.</p>
      </ConfirmDialog>
      <ConfirmDialog open={open === 'terminate'} title="Terminate this execution?" confirmLabel="Terminate" danger onClose={close} onConfirm={run(() => controls.terminate(id, reason))}>
        <p className="muted">It ends as TERMINATED and its pending tasks are canceled. Its children are terminated too.</p>
        <label className="field">
          Reason (stored in the history)
          <input value={reason} onChange={(event) => setReason(event.target.value)} placeholder="terminated from the console" data-testid="terminate-reason" autoFocus />
        </label>
      </ConfirmDialog>
      <ConfirmDialog open={open === 'retry'} title="Retry this execution?" confirmLabel="Retry" onClose={close} onConfirm={run(() => controls.retry(id))}>
        <p className="muted">It runs again from its failed and canceled tasks; completed tasks keep their output.</p>
      </ConfirmDialog>
      <ConfirmDialog open={open === 'restart'} title="Restart this execution from the beginning?" confirmLabel="Restart" onClose={close} onConfirm={run(() => controls.restart(id, useLatest))}>
        <p className="muted">Every task runs again with the same input, in the same execution.</p>
        <label className="check">
          <input type="checkbox" checked={useLatest} onChange={(event) => setUseLatest(event.target.checked)} /> Use the latest registered definition
        </label>
      </ConfirmDialog>
    </div>
  );
}
