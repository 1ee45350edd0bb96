import type { Tone } from '../model/status';

export interface BarRow {
  readonly label: string;
  readonly segments: readonly { readonly value: number; readonly tone: Tone; readonly title: string }[];
  readonly valueLabel: string;
}

/** Horizontal bars, one per row, stacked by segment; the widest row fills the track. */
export function BarChart({ rows, caption }: { rows: readonly BarRow[]; caption: string }) {
  const max = Math.max(1, ...rows.map((row) => row.segments.reduce((sum, segment) => sum + segment.value, 0)));
  if (rows.length === 0) return <div className="empty">No data yet.</div>;
  return (
    <figure className="bars" aria-label={caption} style={{ margin: 0 }}>
      {rows.map((row) => (
        <div className="bar-row" key={row.label}>
          <span className="label" title={row.label}>{row.label}</span>
          <span className="bar-track" role="img" aria-label={`${row.label}: ${row.segments.map((segment) => segment.title).join(', ')}`}>
            {row.segments.filter((segment) => segment.value > 0).map((segment) => (
              <span key={segment.title} className={`bar-seg tone-${segment.tone}`} style={{ width: `${(segment.value / max) * 100}%` }} title={segment.title} />
            ))}
          </span>
          <span className="value">{row.valueLabel}</span>
        </div>
      ))}
    </figure>
  );
}
