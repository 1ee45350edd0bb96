/**
 * The one home of numbers that become times: durations and timeouts of definitions, WAIT inputs
 * resolved at run time, and the `dueAt` of every timer. Each is bounded so no Infinity, NaN or
 * out-of-range date can reach an event or a read model (`1e308` is an integer to JavaScript).
 *
 * Conductor's formats: `duration` like `"30s"`, `"2m 10s"`, `"1 day 2 hours"` (or a number of
 * seconds); `until` like `"2026-12-01 09:30 UTC"`, `"2026-12-01 09:30"`, `"2026-12-01"` (UTC when
 * no zone is given), any ISO-8601 timestamp, or epoch milliseconds.
 */

/** Longest duration or timeout accepted anywhere: 100 years, in seconds. */
export const MAX_DURATION_SECONDS = 100 * 365 * 24 * 3600;
/** {@link MAX_DURATION_SECONDS} in milliseconds (3.15e12, far inside the safe integers). */
export const MAX_DURATION_MS = MAX_DURATION_SECONDS * 1000;
/** Largest count (retries, rate limits, versions): Conductor's Java `int`. */
export const MAX_COUNT = 2_147_483_647;
/** The last instant a JavaScript `Date` can hold (±8.64e15 ms). */
export const MAX_EPOCH_MS = 8_640_000_000_000_000;

/** True for an integer from `min` to `max`: `1e308`, NaN, Infinity and fractions are not. */
export function isIntegerIn(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

/** The rule a definition's seconds field breaks, or undefined: an integer from `min` to 100 years. */
export function secondsProblem(value: unknown, min = 0): string | undefined {
  return isIntegerIn(value, min, MAX_DURATION_SECONDS) ? undefined : `must be an integer from ${min} to ${MAX_DURATION_SECONDS} (100 years)`;
}

/** The rule a definition's count field breaks, or undefined: an integer from `min` to 2,147,483,647. */
export function countProblem(value: unknown, min = 0): string | undefined {
  return isIntegerIn(value, min, MAX_COUNT) ? undefined : `must be an integer from ${min} to ${MAX_COUNT}`;
}

const DURATION = /^\s*(?:(\d+)\s*(?:days?|d))?\s*(?:(\d+)\s*(?:hours?|hrs?|h))?\s*(?:(\d+)\s*(?:minutes?|mins?|m))?\s*(?:(\d+)\s*(?:seconds?|secs?|s))?\s*(?:(\d+)\s*(?:milliseconds?|ms))?\s*$/i;

/** Milliseconds of a Conductor duration string, or undefined when it does not parse or exceeds 100 years. */
export function parseDurationMs(text: string): number | undefined {
  const match = DURATION.exec(text);
  if (!match || text.trim() === '') return undefined;
  const [, days, hours, minutes, seconds, millis] = match.map((part) => Number(part ?? 0));
  const ms = (((days! * 24 + hours!) * 60 + minutes!) * 60 + seconds!) * 1000 + millis!;
  return Number.isFinite(ms) && ms <= MAX_DURATION_MS ? ms : undefined;
}

/** Milliseconds of a WAIT `duration`: a number of seconds (0 to 100 years) or a duration string; undefined otherwise. */
export function durationMsOf(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 && value <= MAX_DURATION_SECONDS ? Math.round(value * 1000) : undefined;
  if (typeof value === 'string') return parseDurationMs(value);
  return undefined;
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

/** Epoch milliseconds of a WAIT `until`: a time string or an epoch-ms integer a Date can hold; undefined otherwise. */
export function untilMsOf(value: unknown): number | undefined {
  if (typeof value === 'number') return isIntegerIn(value, 0, MAX_EPOCH_MS) ? value : undefined;
  if (typeof value === 'string') return parseUntil(value);
  return undefined;
}

/**
 * `now + ms` for a timer's `dueAt`, always a finite epoch: a computed delay that is NaN counts as
 * 0, one beyond 100 years (a definition stored before the bounds, an exponential backoff gone
 * wild) as 100 years — in effect never, but a date the read models can store.
 */
export function dueAfter(now: number, ms: number): number {
  const bounded = Number.isNaN(ms) ? 0 : Math.min(Math.max(ms, 0), MAX_DURATION_MS);
  return Math.round(now + bounded);
}

/** {@link dueAfter} for a number of seconds. */
export function dueAfterSeconds(now: number, seconds: number): number {
  return dueAfter(now, seconds * 1000);
}
