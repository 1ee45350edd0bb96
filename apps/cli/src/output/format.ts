/** A time (epoch ms or ISO text) as an ISO timestamp; empty for none. */
export function formatTime(value: number | string | null | undefined): string {
  if (value === undefined || value === null || value === 0 || value === '') return '';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : date.toISOString();
}

/** A JSON value on one line, cut to `max` characters. */
export function compact(value: unknown, max = 80): string {
  if (value === undefined) return '';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
