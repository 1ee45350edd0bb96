import { Fragment, useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { HistoryEntry, Verification } from '../../api/types';
import { ErrorMessage, Loading } from '../../components/ErrorMessage';
import { JsonView } from '../../components/JsonView';
import { formatTime, shortId } from '../../model/format';

/** Every stored event with its metadata and hash; verification of the chain; a way to any revision. */
export function HistoryView({ executionId, history, error, selectedRevision, onTravel }: {
  executionId: string;
  history: readonly HistoryEntry[] | undefined;
  error: unknown;
  selectedRevision?: number;
  onTravel: (revision: number) => void;
}) {
  const [open, setOpen] = useState<string>();
  const verify = useMutation({ mutationFn: () => api.get<Verification>(`/api/workflow/${encodeURIComponent(executionId)}/verify`) });
  const bad = verify.data?.firstInvalid?.revision;
  return (
    <div className="stack">
      <div className="card">
        <div className="row" style={{ justifyContent: 'space-between' }}>
          <div>
            <h2 style={{ marginBottom: 2 }}>Tamper evidence</h2>
            <span className="muted">Each event's SHA-256 covers the event and the previous event's hash; recomputing the chain shows whether anything stored was altered.</span>
          </div>
          <button type="button" className="primary" onClick={() => verify.mutate()} disabled={verify.isPending} data-testid="verify">
            {verify.isPending ? 'Verifying…' : 'Verify the hash chain'}
          </button>
        </div>
        <div style={{ marginTop: 10 }} aria-live="polite">
          <ErrorMessage error={verify.error} />
          {verify.data?.valid === true && (
            <div className="message tone-success" data-testid="verify-result" data-valid="true">
              <strong>Chain intact</strong>
              All {verify.data.eventsChecked.toLocaleString()} events match their hashes; last hash <code>{verify.data.lastHash}</code>.
            </div>
          )}
          {verify.data?.valid === false && (
            <div className="message tone-danger" data-testid="verify-result" data-valid="false" data-revision={bad}>
              <strong>Tampered: the history was altered at revision {bad}</strong>
              Event at revision {bad} does not match its hash ({verify.data.firstInvalid?.reason}); {verify.data.eventsChecked.toLocaleString()} of {verify.data.events.toLocaleString()} events checked.
            </div>
          )}
        </div>
      </div>
      <div className="card">
        <h2>Events</h2>
        <ErrorMessage error={error} />
        {!history && !error && <Loading what="the history" />}
        {history && (
          <div className="table-wrap">
            <table className="data" data-testid="history">
              <thead>
                <tr>
                  <th className="num">Rev</th>
                  <th>Recorded</th>
                  <th>Event</th>
                  <th>Actor</th>
                  <th>Cause</th>
                  <th>Hash</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {history.map((event) => {
                  const revision = Number(event.revision);
                  const classes = [event.revision === bad ? 'bad' : '', revision === selectedRevision ? 'selected' : ''].filter(Boolean).join(' ');
                  return (
                    <Fragment key={event.id}>
                      <tr className={classes} data-revision={event.revision} data-type={event.type} style={{ contentVisibility: 'auto' }}>
                        <td className="num mono">{event.revision}</td>
                        <td>{formatTime(event.created)}</td>
                        <td>
                          <button type="button" className="link" aria-expanded={open === event.id} onClick={() => setOpen(open === event.id ? undefined : event.id)}>
                            {event.type}
                          </button>
                        </td>
                        <td className="mono" data-testid="actor">
                          {event.metadata.actor ?? '—'}
                          {typeof event.metadata.workerId === 'string' && <span className="muted"> · worker {event.metadata.workerId}</span>}
                          {typeof event.metadata.client === 'string' && <span className="muted" title="The x-baton-client header: named by the caller, not authenticated"> · via {event.metadata.client} (unverified)</span>}
                        </td>
                        <td className="mono" title={event.metadata.causationId}>{shortId(event.metadata.causationId, 18)}</td>
                        <td className="mono" title={`hash ${event.metadata.hash ?? ''}\nprevious ${event.metadata.prevHash ?? ''}`}>{shortId(event.metadata.hash, 10)}</td>
                        <td>
                          <button type="button" className="small" onClick={() => onTravel(revision)} title="Show the execution as it was after this event">View here</button>
                        </td>
                      </tr>
                      {open === event.id && (
                        <tr>
                          <td colSpan={7}>
                            <div className="grid-2">
                              <div><h3>Data</h3><JsonView value={event.data} label="Event data" /></div>
                              <div><h3>Metadata</h3><JsonView value={{ ...event.metadata, id: event.id, position: event.position }} label="Event metadata" /></div>
                            </div>
                          </td>
                        </tr>
                      )}
                    </Fragment>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </div>
  );
}
