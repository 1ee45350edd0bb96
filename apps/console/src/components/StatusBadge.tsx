import { statusLabel, toneOf } from '../model/status';

/** A status as a coloured pill. */
export function StatusBadge({ status, label }: { status: string | undefined; label?: string }) {
  return <span className={`badge tone-${toneOf(status)}`} data-status={status}>{label ?? statusLabel(status)}</span>;
}
