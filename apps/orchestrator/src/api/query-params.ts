import { RequestValidationError } from './api-exception.filter';

/**
 * A boolean query parameter: `true` or `false` (any case), `fallback` when absent. Handlers take
 * the raw value (declared `unknown`, not `boolean`) because the global ValidationPipe would turn
 * any other text into `false` silently, and a repeated parameter arrives as an array.
 */
export function booleanQuery(name: string, raw: unknown, fallback: boolean): boolean {
  if (raw === undefined || raw === '') return fallback;
  const text = typeof raw === 'string' ? raw.toLowerCase() : undefined;
  if (text === 'true') return true;
  if (text === 'false') return false;
  throw new RequestValidationError([{ path: name, message: `${name} must be true or false` }]);
}

/** An integer query parameter in [min, max], or undefined when absent; a bad one adds a problem naming it. */
export function integerParam(name: string, raw: string | undefined, min: number, max: number, problems: { path: string; message: string }[]): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    problems.push({ path: name, message: `${name} must be an integer from ${min} to ${max}` });
    return undefined;
  }
  return value;
}
