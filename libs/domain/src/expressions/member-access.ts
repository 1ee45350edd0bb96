import { ARRAY_METHODS } from './array-methods';
import { isArrayIndex, toInteger, toNumber, toPropertyKey } from './coercion';
import { forbiddenFault, runtimeFault } from './faults';
import { isForbiddenProperty } from './sandbox-rules';
import { methodTable, STRING_METHODS, type Method } from './string-methods';
import { hasOwn, isCallable, NativeFunction, ScriptFunction, type Runtime, type ScriptObject } from './values';

/**
 * Every property read, write and method call of a script goes through here. Only own data
 * properties of script objects and the whitelisted methods of primitives and arrays are
 * reachable; host prototypes are never consulted.
 */

function intArg(value: unknown, fallback: number, min: number, max: number, method: string): number {
  const n = value === undefined ? fallback : toInteger(value);
  if (n < min || n > max) throw runtimeFault(`RangeError: ${method}() argument must be between ${min} and ${max}`);
  return n;
}

const NUMBER_METHODS = methodTable<number>({
  toFixed: (_rt, n, [digits]) => n.toFixed(intArg(digits, 0, 0, 100, 'toFixed')),
  toPrecision: (_rt, n, [p]) => (p === undefined ? String(n) : n.toPrecision(intArg(p, 1, 1, 100, 'toPrecision'))),
  toString: (_rt: Runtime, n: number, [radix]: readonly unknown[]) => n.toString(intArg(radix, 10, 2, 36, 'toString')),
  valueOf: (_rt: Runtime, n: number) => n,
});

const BOOLEAN_METHODS = methodTable<boolean>({
  toString: (_rt: Runtime, b: boolean) => String(b),
  valueOf: (_rt: Runtime, b: boolean) => b,
});

const OBJECT_METHODS = methodTable<ScriptObject>({
  hasOwnProperty: (_rt: Runtime, o: ScriptObject, [key]: readonly unknown[]) => hasOwn(o, toPropertyKey(key)),
  toString: () => '[object Object]',
});

function checkKey(key: unknown): string {
  const k = toPropertyKey(key);
  if (isForbiddenProperty(k)) throw forbiddenFault(`access to '${k}' is not allowed`);
  return k;
}

function describe(value: unknown): string {
  return value === null ? 'null' : value === undefined ? 'undefined' : typeof value;
}

function bind<T>(self: T, method: Method<T>, name: string): NativeFunction {
  return new NativeFunction(name, (rt, args) => method(rt, self, args));
}

/** `object[key]` / `object.key`. */
export function getMember(object: unknown, key: unknown): unknown {
  if (Array.isArray(object) && typeof key === 'number' && Number.isInteger(key) && key >= 0) {
    return key < object.length ? object[key] : undefined;
  }
  const k = checkKey(key);
  switch (typeof object) {
    case 'string': {
      if (k === 'length') return object.length;
      if (isArrayIndex(k)) return Number(k) < object.length ? object[Number(k)] : undefined;
      const method = STRING_METHODS.get(k);
      return method === undefined ? undefined : bind(object, method, k);
    }
    case 'number': {
      const method = NUMBER_METHODS.get(k);
      return method === undefined ? undefined : bind(object, method, k);
    }
    case 'boolean': {
      const method = BOOLEAN_METHODS.get(k);
      return method === undefined ? undefined : bind(object, method, k);
    }
    case 'object': {
      if (object === null) break;
      if (Array.isArray(object)) {
        if (k === 'length') return object.length;
        if (isArrayIndex(k)) return Number(k) < object.length ? object[Number(k)] : undefined;
        const method = ARRAY_METHODS.get(k);
        return method === undefined ? undefined : bind(object, method, k);
      }
      if (object instanceof NativeFunction) return object.statics !== undefined && hasOwn(object.statics, k) ? object.statics[k] : undefined;
      if (object instanceof ScriptFunction) return undefined;
      const record = object as ScriptObject;
      if (hasOwn(record, k)) return record[k];
      const method = OBJECT_METHODS.get(k);
      return method === undefined ? undefined : bind(record, method, k);
    }
  }
  throw runtimeFault(`TypeError: Cannot read properties of ${describe(object)} (reading '${k}')`);
}

/**
 * `object.key(...args)`: dispatches straight to the method for strings, arrays and objects (no
 * bound function is allocated on this hot path).
 */
export function callMethod(rt: Runtime, object: unknown, key: unknown, args: readonly unknown[], label: () => string): unknown {
  if (typeof object === 'string' || Array.isArray(object)) {
    const k = checkKey(key);
    const method = typeof object === 'string' ? STRING_METHODS.get(k) : ARRAY_METHODS.get(k);
    if (method !== undefined) return (method as Method<unknown>)(rt, object, args);
  } else if (typeof object === 'object' && object !== null && !isCallable(object)) {
    const k = checkKey(key);
    const record = object as ScriptObject;
    if (!hasOwn(record, k)) {
      const method = OBJECT_METHODS.get(k);
      if (method !== undefined) return method(rt, record, args);
    }
  }
  const fn = getMember(object, key);
  if (!isCallable(fn)) throw runtimeFault(`TypeError: ${label()} is not a function`);
  return rt.call(fn, args);
}

/** `object[key] = value`: only script-owned arrays and objects are writable. */
export function setMember(rt: Runtime, object: unknown, key: unknown, value: unknown): void {
  if (Array.isArray(object)) {
    if (typeof key === 'number' && Number.isInteger(key) && key >= 0 && key < object.length) {
      object[key] = value;
      return;
    }
    const k = checkKey(key);
    if (k === 'length') {
      const length = toNumber(value);
      if (!Number.isInteger(length) || length < 0 || length > object.length) {
        throw runtimeFault('TypeError: an array length may only be set to a smaller whole number');
      }
      object.length = length;
      return;
    }
    if (!isArrayIndex(k)) throw runtimeFault(`TypeError: Cannot set property '${k}' of an array`);
    const index = Number(k);
    if (index > object.length) throw runtimeFault(`TypeError: Cannot set index ${index} of an array of length ${object.length} (arrays may not have holes)`);
    if (index === object.length) rt.checkArrayLength(index + 1);
    object[index] = value;
    return;
  }
  const k = checkKey(key);
  if (typeof object === 'object' && object !== null && !isCallable(object)) {
    if (Object.isFrozen(object)) throw runtimeFault(`TypeError: Cannot assign to read only property '${k}'`);
    (object as ScriptObject)[k] = value;
    return;
  }
  throw runtimeFault(`TypeError: Cannot set properties of ${isCallable(object) ? 'a function' : describe(object)} (setting '${k}')`);
}

/** `delete object[key]` on a script object. */
export function deleteMember(object: unknown, key: unknown): boolean {
  const k = checkKey(key);
  if (typeof object === 'object' && object !== null && !Array.isArray(object) && !isCallable(object)) {
    if (Object.isFrozen(object)) throw runtimeFault(`TypeError: Cannot delete property '${k}'`);
    return delete (object as ScriptObject)[k];
  }
  throw runtimeFault(`TypeError: Cannot delete property '${k}' of ${Array.isArray(object) ? 'an array' : describe(object)}`);
}
