import { canonicalJson } from '@app/event-store';

/** The JSON path of the first place two JSON values differ (`''` for the values themselves), or undefined when equal. */
export function firstDifference(expected: unknown, actual: unknown, path = ''): string | undefined {
  if (canonicalJson(expected) === canonicalJson(actual)) return undefined;
  const bothObjects = typeof expected === 'object' && typeof actual === 'object' && expected !== null && actual !== null;
  if (!bothObjects || Array.isArray(expected) !== Array.isArray(actual)) return path;
  if (Array.isArray(expected)) {
    const other = actual as unknown[];
    for (let i = 0; i < Math.max(expected.length, other.length); i += 1) {
      const found = firstDifference(expected[i], other[i], `${path}[${i}]`);
      if (found !== undefined) return found;
    }
    return path;
  }
  const left = expected as Record<string, unknown>;
  const right = actual as Record<string, unknown>;
  for (const key of [...new Set([...Object.keys(left), ...Object.keys(right)])].sort()) {
    const found = firstDifference(left[key], right[key], path === '' ? key : `${path}.${key}`);
    if (found !== undefined) return found;
  }
  return path;
}
