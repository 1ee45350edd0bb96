/** A duration for people: `850 ms`, `12.4 s`, `3 min 5 s`, `2 h 10 min`. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 0) return '—';
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const totalSeconds = Math.round(ms / 1_000);
  if (totalSeconds < 3_600) return `${Math.floor(totalSeconds / 60)} min ${totalSeconds % 60} s`;
  const minutes = Math.floor(totalSeconds / 60);
  if (minutes < 48 * 60) return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
  return `${Math.floor(minutes / 1_440)} d ${Math.floor((minutes % 1_440) / 60)} h`;
}

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/** Local date and time with milliseconds: `2026-12-03 10:41:07.123`; `—` for none. */
export function formatTime(epochMs: number | string | null | undefined): string {
  if (epochMs === null || epochMs === undefined || epochMs === 0 || epochMs === '') return '—';
  const date = new Date(epochMs);
  if (Number.isNaN(date.getTime())) return '—';
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

/** Relative age for lists: `just now`, `5 s ago`, `3 min ago`, else the time. */
export function formatAge(epochMs: number | undefined, now: number): string {
  if (!epochMs) return '—';
  const age = now - epochMs;
  if (age < 2_000) return 'just now';
  if (age < 60_000) return `${Math.floor(age / 1_000)} s ago`;
  if (age < 3_600_000) return `${Math.floor(age / 60_000)} min ago`;
  if (age < 86_400_000) return `${Math.floor(age / 3_600_000)} h ago`;
  return formatTime(epochMs);
}

/** The first characters of a long id or hash, for tables (the full value goes in a title). */
export function shortId(id: string | undefined, length = 8): string {
  if (!id) return '—';
  return id.length > length + 1 ? `${id.slice(0, length)}…` : id;
}

/** JSON for people: indented, `{}` for nothing. */
export function prettyJson(value: unknown): string {
  if (value === undefined) return '{}';
  return JSON.stringify(value, null, 2);
}
