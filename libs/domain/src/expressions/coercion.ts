import { runtimeFault } from './faults';
import { hasOwn, isCallable } from './values';

/**
 * JavaScript's conversions and operators over sandbox values, written out so the host never
 * coerces a script object itself (which would look up `toString`/`valueOf` on the host side).
 * Semantics follow ECMAScript for primitives; objects convert as plain objects do by default:
 * arrays to their comma-joined elements, other objects to "[object Object]".
 */

export function typeOf(value: unknown): string {
  if (value === null) return 'object';
  if (isCallable(value)) return 'function';
  const t = typeof value;
  return t === 'object' ? 'object' : t;
}

export function truthy(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') return value.length > 0;
  if (typeof value === 'number') return value !== 0 && !Number.isNaN(value);
  return value !== null && value !== undefined;
}

/** ToPrimitive with the default hint; primitives come back unchanged. */
export function toPrimitive(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  return Array.isArray(value) ? joinArray(value, ',', new Set()) : isCallable(value) ? 'function () { [native code] }' : '[object Object]';
}

export function toStr(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'boolean':
      return String(value);
    case 'undefined':
      return 'undefined';
    case 'object':
      if (value === null) return 'null';
      return String(toPrimitive(value));
    default:
      return String(toPrimitive(value));
  }
}

function joinArray(array: readonly unknown[], separator: string, seen: Set<unknown>): string {
  // Like Array.prototype.join: a cycle yields '' instead of recursing forever.
  if (seen.has(array)) return '';
  seen.add(array);
  let out = '';
  for (let i = 0; i < array.length; i++) {
    if (i > 0) out += separator;
    const item = array[i];
    if (item === null || item === undefined) continue;
    out += Array.isArray(item) ? joinArray(item, ',', seen) : toStr(item);
  }
  seen.delete(array);
  return out;
}

/** Array.prototype.join over sandbox values. */
export function join(array: readonly unknown[], separator: string): string {
  return joinArray(array, separator, new Set());
}

export function toNumber(value: unknown): number {
  switch (typeof value) {
    case 'number':
      return value;
    case 'string':
      return Number(value);
    case 'boolean':
      return value ? 1 : 0;
    case 'undefined':
      return NaN;
    default:
      return value === null ? 0 : toNumber(toPrimitive(value));
  }
}

/** ToIntegerOrInfinity, used for indexes and counts passed to natives. */
export function toInteger(value: unknown): number {
  const n = toNumber(value);
  if (Number.isNaN(n)) return 0;
  return Number.isFinite(n) ? Math.trunc(n) : n;
}

export function toPropertyKey(value: unknown): string {
  return typeof value === 'string' ? value : toStr(value);
}

export function strictEquals(a: unknown, b: unknown): boolean {
  return a === b;
}

/** `==` : the ECMAScript IsLooselyEqual algorithm. */
export function looseEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  const ta = typeof a;
  const tb = typeof b;
  if (a === null || a === undefined) return b === null || b === undefined;
  if (b === null || b === undefined) return false;
  const aObject = ta === 'object';
  const bObject = tb === 'object';
  if (aObject && bObject) return false;
  if (aObject) return looseEquals(toPrimitive(a), b);
  if (bObject) return looseEquals(a, toPrimitive(b));
  if (ta === tb) return false; // same primitive type and not ===
  if (ta === 'boolean') return looseEquals(toNumber(a), b);
  if (tb === 'boolean') return looseEquals(a, toNumber(b));
  return toNumber(a) === toNumber(b);
}

/** `a < b` (or `a > b` with swapped operands); undefined when either side is NaN. */
export function lessThan(a: unknown, b: unknown): boolean | undefined {
  const pa = toPrimitive(a);
  const pb = toPrimitive(b);
  if (typeof pa === 'string' && typeof pb === 'string') return pa < pb;
  const na = toNumber(pa);
  const nb = toNumber(pb);
  if (Number.isNaN(na) || Number.isNaN(nb)) return undefined;
  return na < nb;
}

export function add(a: unknown, b: unknown): unknown {
  if (typeof a === 'number' && typeof b === 'number') return a + b;
  if (typeof a === 'string' && typeof b === 'string') return a + b;
  const pa = toPrimitive(a);
  const pb = toPrimitive(b);
  if (typeof pa === 'string' || typeof pb === 'string') return toStr(pa) + toStr(pb);
  return toNumber(pa) + toNumber(pb);
}

/** The `in` operator: own keys only, as the sandbox has no prototypes. */
export function hasProperty(container: unknown, key: unknown): boolean {
  if (typeof container !== 'object' || container === null || isCallable(container)) {
    throw runtimeFault(`TypeError: Cannot use 'in' operator to search for '${toStr(key)}' in ${toStr(container)}`);
  }
  const k = toPropertyKey(key);
  if (Array.isArray(container)) return k === 'length' || (isArrayIndex(k) && Number(k) < container.length);
  return hasOwn(container, k);
}

/** True for canonical array index strings ("0", "17", but not "01" or "-1"). */
export function isArrayIndex(key: string): boolean {
  if (key.length === 0 || key.length > 10) return false;
  const n = Number(key);
  return Number.isInteger(n) && n >= 0 && n < 4294967295 && String(n) === key;
}
