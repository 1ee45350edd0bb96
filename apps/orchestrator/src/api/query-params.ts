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
