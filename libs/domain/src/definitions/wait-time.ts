/**
 * Parsing of WAIT inputs, Conductor's formats: `duration` like `"30s"`, `"2m 10s"`,
 * `"1 day 2 hours"`; `until` like `"2026-12-01 09:30 UTC"`, `"2026-12-01 09:30"`,
 * `"2026-12-01"` (UTC when no zone is given) or any ISO-8601 timestamp.
 */
const DURATION = /^\s*(?:(\d+)\s*(?:days?|d))?\s*(?:(\d+)\s*(?:hours?|hrs?|h))?\s*(?:(\d+)\s*(?:minutes?|mins?|m))?\s*(?:(\d+)\s*(?:seconds?|secs?|s))?\s*(?:(\d+)\s*(?:milliseconds?|ms))?\s*$/i;

/** Milliseconds of a Conductor duration string, or undefined when it does not parse. */
export function parseDurationMs(text: string): number | undefined {
  const match = DURATION.exec(text);
  if (!match || text.trim() === '') return undefined;
  const [, days, hours, minutes, seconds, millis] = match.map((part) => Number(part ?? 0));
  return (((days! * 24 + hours!) * 60 + minutes!) * 60 + seconds!) * 1000 + millis!;
}

const CONDUCTOR_UNTIL = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}(?::\d{2})?))?\s*(UTC|GMT|Z|[+-]\d{2}:?\d{2})?$/i;

/** Epoch milliseconds of a Conductor `until` string, or undefined when it does not parse. */
export function parseUntil(text: string): number | undefined {
  const match = CONDUCTOR_UNTIL.exec(text.trim());
  if (match) {
    const [, date, time = '00:00', zone] = match;
    const offset = !zone || /^(UTC|GMT|Z)$/i.test(zone) ? 'Z' : zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone;
    const parsed = Date.parse(`${date}T${time.length === 5 ? `${time}:00` : time}${offset}`);
    return Number.isNaN(parsed) ? undefined : parsed;
  }
  const iso = Date.parse(text);
  return Number.isNaN(iso) ? undefined : iso;
}
