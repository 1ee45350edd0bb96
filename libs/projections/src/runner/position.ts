import type { Position } from '@app/event-store';

/** Orders two `$all` positions (negative, zero, positive). Positions are compared, never subtracted. */
export function comparePositions(a: Position, b: Position): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}

/** The later of two positions; `undefined` counts as before everything. */
export function laterPosition(a: Position | undefined, b: Position): Position {
  return a === undefined || comparePositions(a, b) < 0 ? b : a;
}

export function formatPosition(position: Position | undefined): string {
  return position === undefined ? 'start' : `${position.commit}/${position.prepare}`;
}
