import { limitFault, runtimeFault } from './faults';
import { isCallable, newObject, type ScriptObject } from './values';

/** JSON documents nested deeper than this are refused (they would exhaust the host stack). */
export const MAX_DATA_DEPTH = 256;

/**
 * Copies caller data into the sandbox: arrays stay arrays, objects become null-prototype
 * objects, so a script can neither mutate the caller's values nor reach a prototype through
 * them. Non-JSON values follow JSON's rules (functions and symbols vanish, a Date becomes its
 * ISO string).
 */
export function copyIn(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'function' || typeof value === 'symbol') return undefined;
    if (typeof value === 'bigint') return Number(value);
    return value;
  }
  if (depth > MAX_DATA_DEPTH) throw limitFault(`data nested deeper than ${MAX_DATA_DEPTH} levels`);
  if (Array.isArray(value)) {
    const out: unknown[] = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) {
      const item = copyIn(value[i], depth + 1);
      out[i] = item === undefined ? null : item;
    }
    return out;
  }
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  const out = newObject();
  const source = value as Record<string, unknown>;
  for (const key of Object.keys(source)) {
    const item = copyIn(source[key], depth + 1);
    if (item !== undefined) out[key] = item;
  }
  return out;
}

/** Sets `key` without ever invoking the `__proto__` setter of an ordinary object. */
function defineKey(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/**
 * Copies a sandbox value out as plain JSON-compatible data for the caller: ordinary objects and
 * arrays, `undefined` → `null` (omitted inside objects, as JSON does), non-finite numbers →
 * `null`. Functions and cyclic structures are errors: they cannot be stored in an event.
 */
export function copyOut(value: unknown): unknown {
  return copyOutAt(value, new Set(), 0);
}

function copyOutAt(value: unknown, path: Set<unknown>, depth: number): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? (Object.is(value, -0) ? 0 : value) : null;
    case 'undefined':
      return null;
  }
  if (value === null) return null;
  if (isCallable(value)) throw runtimeFault('expression result contains a function');
  if (typeof value !== 'object') return null;
  if (path.has(value)) throw runtimeFault('expression result contains a cycle');
  if (depth > MAX_DATA_DEPTH) throw limitFault(`expression result nested deeper than ${MAX_DATA_DEPTH} levels`);
  path.add(value);
  let out: unknown;
  if (Array.isArray(value)) {
    const array: unknown[] = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) array[i] = copyOutAt(value[i], path, depth + 1);
    out = array;
  } else {
    const source = value as ScriptObject;
    const object: Record<string, unknown> = {};
    for (const key of Object.keys(source)) {
      if (source[key] !== undefined) defineKey(object, key, copyOutAt(source[key], path, depth + 1));
    }
    out = object;
  }
  path.delete(value);
  return out;
}

/**
 * Sandbox value → JSON text, with JSON.stringify's rules (functions and `undefined` dropped from
 * objects and nulled in arrays) but without calling any script or host `toJSON`.
 */
export function toJsonData(value: unknown, inArray = false, path = new Set<unknown>(), depth = 0): unknown {
  if (value === undefined || isCallable(value)) return inArray ? null : undefined;
  if (typeof value !== 'object' || value === null) return value;
  if (path.has(value)) throw runtimeFault('TypeError: Converting circular structure to JSON');
  if (depth > MAX_DATA_DEPTH) throw limitFault(`value nested deeper than ${MAX_DATA_DEPTH} levels`);
  path.add(value);
  let out: unknown;
  if (Array.isArray(value)) {
    out = value.map((item) => toJsonData(item, true, path, depth + 1));
  } else {
    const source = value as ScriptObject;
    const object: Record<string, unknown> = {};
    for (const key of Object.keys(source)) {
      const item = toJsonData(source[key], false, path, depth + 1);
      if (item !== undefined) defineKey(object, key, item);
    }
    out = object;
  }
  path.delete(value);
  return out;
}

/** Host JSON text → sandbox data. */
export function fromJsonText(text: string): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw runtimeFault(`SyntaxError: ${error instanceof Error ? error.message : 'invalid JSON'}`);
  }
  return copyIn(parsed);
}
