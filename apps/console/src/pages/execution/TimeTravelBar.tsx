import { useEffect, useState } from 'react';
import type { HistoryEntry } from '../../api/types';
import { formatTime } from '../../model/format';

/** Picks a revision (slider, steps, or an instant): the page then shows the execution as it was. */
export function TimeTravelBar({ history, revision, onChange, onExit }: { history: readonly HistoryEntry[]; revision: number; onChange: (revision: number) => void; onExit: () => void }) {
  const last = Math.max(0, history.length - 1);
  const [draft, setDraft] = useState(revision);
  useEffect(() => setDraft(revision), [revision]);
  // Moving the slider (dragging, holding an arrow key) loads one past state once it rests.
  useEffect(() => {
    if (draft === revision) return;
    const timer = setTimeout(() => onChange(draft), 250);
    return () => clearTimeout(timer);
  }, [draft, revision, onChange]);
  const event = history[Math.min(draft, last)];
  const atInstant = (text: string) => {
    const time = new Date(text).getTime();
    if (Number.isNaN(time)) return;
    const index = history.findLastIndex((entry) => new Date(entry.created).getTime() <= time);
    onChange(Math.max(0, index));
  };
  return (
    <div className="card message tone-warning" role="region" aria-label="Time travel" data-testid="time-travel">
      <div className="time-travel">
        <strong style={{ margin: 0 }}>Time travel</strong>
        <input
          type="range"
          min={0}
          max={last}
          value={Math.min(draft, last)}
          aria-label="Revision"
          aria-valuetext={`revision ${draft} of ${last}`}
          onChange={(event) => setDraft(Number(event.target.value))}
          data-testid="revision-slider"
        />
        <div className="row">
          <button type="button" className="small" onClick={() => onChange(Math.max(0, revision - 1))} disabled={revision <= 0}>◀ Earlier</button>
          <button type="button" className="small" onClick={() => onChange(Math.min(last, revision + 1))} disabled={revision >= last}>Later ▶</button>
          <button type="button" className="small primary" onClick={onExit}>Back to live</button>
        </div>
      </div>
      <div className="row" style={{ marginTop: 8 }}>
        <span data-testid="travel-position">
          Revision <strong style={{ display: 'inline' }}>{draft}</strong> of {last} · {event?.type} · {formatTime(event?.created)}
        </span>
        <label className="row">
          or at
          <input type="datetime-local" step="0.001" onChange={(e) => atInstant(e.target.value)} aria-label="Instant" />
        </label>
      </div>
    </div>
  );
}
