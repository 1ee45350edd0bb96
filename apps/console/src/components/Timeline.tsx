import { useMemo } from 'react';
import type { Task } from '../api/types';
import { formatDuration, formatTime } from '../model/format';
import { statusLabel, toneOf } from '../model/status';
import { buildTimeline } from '../model/timeline';

/** Gantt chart of every task attempt: hatched while it waited in its queue, coloured while it ran. */
export function Timeline({ tasks, now, onSelect }: { tasks: readonly Task[]; now: number; onSelect?: (ref: string) => void }) {
  const timeline = useMemo(() => buildTimeline(tasks, now), [tasks, now]);
  if (timeline.rows.length === 0) return <div className="empty">No task has been scheduled yet.</div>;
  const span = timeline.to - timeline.from;
  return (
    <div className="timeline" data-testid="timeline" data-rows={timeline.rows.length}>
      <div className="timeline-axis" aria-hidden="true">
        <span className="muted">{timeline.rows.length.toLocaleString()} attempts · from {formatTime(timeline.from)}</span>
        <div className="timeline-ticks">
          {timeline.ticks.map((tick) => (
            <span key={tick.at} style={{ left: `${tick.position * 100}%` }}>+{formatDuration(tick.at - timeline.from)}</span>
          ))}
        </div>
        <span className="muted" style={{ textAlign: 'right' }}>{formatDuration(span)}</span>
      </div>
      <div className="timeline-rows" role="list">
        {timeline.rows.map((row) => (
          <div
            className="timeline-row"
            role="listitem"
            key={row.taskId}
            title={`${row.label}: ${statusLabel(row.status)} · waited ${formatDuration(row.queueWaitMs)} · ran ${formatDuration(row.durationMs)}`}
            onClick={() => onSelect?.(row.ref)}
          >
            <span className="timeline-label">{row.label}</span>
            <span className="timeline-track">
              <span className="bar wait" style={{ left: `${row.wait.left * 100}%`, width: `${row.wait.width * 100}%` }} />
              {row.run && <span className={`bar run tone-${toneOf(row.status)}`} style={{ left: `${row.run.left * 100}%`, width: `${row.run.width * 100}%` }} />}
            </span>
            <span className="timeline-dur">{formatDuration(row.durationMs ?? row.queueWaitMs)}</span>
          </div>
        ))}
      </div>
    </div>
  );
}
