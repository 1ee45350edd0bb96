import { toInteger, toNumber, toPropertyKey, toStr, truthy } from './coercion';
import { runtimeFault } from './faults';
import { fromJsonText, toJsonData } from './plain-data';
import { isForbiddenProperty } from './sandbox-rules';
import { hasOwn, isCallable, isScriptObject, namespace, native, newObject, type Runtime, type ScriptObject } from './values';

/**
 * The globals a script can see: pure functions only (no clock, no randomness, no I/O), each a
 * {@link NativeFunction} wrapper so no host function object is ever exposed.
 */

function numbers(args: readonly unknown[]): number[] {
  return args.map(toNumber);
}

function math1(fn: (x: number) => number) {
  return (_rt: Runtime, [x]: readonly unknown[]) => fn(toNumber(x));
}

const MATH = namespace({
  PI: Math.PI, E: Math.E, LN2: Math.LN2, LN10: Math.LN10, LOG2E: Math.LOG2E, LOG10E: Math.LOG10E, SQRT2: Math.SQRT2, SQRT1_2: Math.SQRT1_2,
  abs: native('abs', math1(Math.abs)),
  acos: native('acos', math1(Math.acos)),
  asin: native('asin', math1(Math.asin)),
  atan: native('atan', math1(Math.atan)),
  atan2: native('atan2', (_rt, [y, x]) => Math.atan2(toNumber(y), toNumber(x))),
  cbrt: native('cbrt', math1(Math.cbrt)),
  ceil: native('ceil', math1(Math.ceil)),
  cos: native('cos', math1(Math.cos)),
  exp: native('exp', math1(Math.exp)),
  floor: native('floor', math1(Math.floor)),
  hypot: native('hypot', (_rt, args) => Math.hypot(...numbers(args))),
  log: native('log', math1(Math.log)),
  log10: native('log10', math1(Math.log10)),
  log2: native('log2', math1(Math.log2)),
  max: native('max', (_rt, args) => Math.max(...numbers(args))),
  min: native('min', (_rt, args) => Math.min(...numbers(args))),
  pow: native('pow', (_rt, [x, y]) => Math.pow(toNumber(x), toNumber(y))),
  round: native('round', math1(Math.round)),
  sign: native('sign', math1(Math.sign)),
  sin: native('sin', math1(Math.sin)),
  sqrt: native('sqrt', math1(Math.sqrt)),
  tan: native('tan', math1(Math.tan)),
  trunc: native('trunc', math1(Math.trunc)),
});

function stringify(rt: Runtime, [value, replacer, space]: readonly unknown[]): unknown {
  if (isCallable(replacer)) throw runtimeFault('JSON.stringify replacer functions are not supported');
  const keys = Array.isArray(replacer) ? replacer.map(toPropertyKey) : undefined;
  const indent = typeof space === 'number' ? Math.min(Math.max(toInteger(space), 0), 10) : typeof space === 'string' ? space.slice(0, 10) : undefined;
  const data = toJsonData(value);
  rt.charge(1);
  const text = JSON.stringify(data, keys, indent);
  if (text === undefined) return undefined;
  rt.charge(text.length >> 6);
  return rt.checkString(text);
}

const JSON_NS = namespace({
  parse: native('parse', (rt, [text, reviver]) => {
    if (reviver !== undefined) throw runtimeFault('JSON.parse revivers are not supported');
    const source = toStr(text);
    rt.charge(1 + (source.length >> 6));
    return fromJsonText(source);
  }),
  stringify: native('stringify', stringify),
});

function ownEntries(rt: Runtime, value: unknown): [string, unknown][] {
  if (Array.isArray(value)) return value.map((item, i) => [String(i), item]);
  if (typeof value === 'string') return [...value].map((c, i) => [String(i), c]);
  if (value === null || value === undefined) throw runtimeFault('TypeError: Cannot convert undefined or null to object');
  if (!isScriptObject(value)) return [];
  const keys = Object.keys(value);
  rt.charge(1 + keys.length);
  return keys.map((k) => [k, value[k]]);
}

function assignInto(rt: Runtime, target: ScriptObject, source: unknown): void {
  if (source === null || source === undefined) return;
  for (const [k, v] of ownEntries(rt, source)) {
    if (isForbiddenProperty(k)) continue;
    target[k] = v;
  }
}

const OBJECT_NS = namespace({
  keys: native('keys', (rt, [o]) => ownEntries(rt, o).map(([k]) => k)),
  values: native('values', (rt, [o]) => ownEntries(rt, o).map(([, v]) => v)),
  entries: native('entries', (rt, [o]) => ownEntries(rt, o).map(([k, v]) => [k, v])),
  assign: native('assign', (rt, [target, ...sources]) => {
    if (!isScriptObject(target) || Object.isFrozen(target)) throw runtimeFault('TypeError: Object.assign needs a plain object target');
    for (const source of sources) assignInto(rt, target, source);
    return target;
  }),
  fromEntries: native('fromEntries', (rt, [entries]) => {
    if (!Array.isArray(entries)) throw runtimeFault('TypeError: Object.fromEntries needs an array of [key, value] pairs');
    const out = newObject();
    rt.charge(1 + entries.length);
    for (const entry of entries) {
      if (!Array.isArray(entry)) throw runtimeFault('TypeError: Object.fromEntries needs an array of [key, value] pairs');
      const k = toPropertyKey(entry[0]);
      if (!isForbiddenProperty(k)) out[k] = entry[1];
    }
    return out;
  }),
});

const ARRAY_NS = namespace({
  isArray: native('isArray', (_rt, [x]) => Array.isArray(x)),
  of: native('of', (_rt, args) => [...args]),
  from: native('from', (rt, [source, mapFn]) => {
    let items: unknown[];
    if (Array.isArray(source)) items = source.slice();
    else if (typeof source === 'string') items = [...source];
    else if (isScriptObject(source) && hasOwn(source, 'length')) items = new Array<unknown>(toInteger(source.length)).fill(undefined);
    else items = [];
    rt.checkArrayLength(items.length);
    rt.charge(1 + items.length);
    if (mapFn === undefined) return items;
    return items.map((item, i) => rt.call(mapFn, [item, i]));
  }),
});

function parseIntImpl(_rt: Runtime, [s, radix]: readonly unknown[]): number {
  return parseInt(toStr(s), radix === undefined ? undefined : toInteger(radix));
}

function parseFloatImpl(_rt: Runtime, [s]: readonly unknown[]): number {
  return parseFloat(toStr(s));
}

function uri(fn: (s: string) => string, name: string) {
  return native(name, (rt, [s]) => {
    try {
      return rt.checkString(fn(toStr(s)));
    } catch (error) {
      throw runtimeFault(`URIError: ${error instanceof Error ? error.message : 'malformed URI'}`);
    }
  });
}

const GLOBALS: Readonly<Record<string, unknown>> = {
  NaN: NaN,
  Infinity: Infinity,
  Math: MATH,
  JSON: JSON_NS,
  Object: OBJECT_NS,
  Array: ARRAY_NS,
  Number: native('Number', (_rt, args) => (args.length === 0 ? 0 : toNumber(args[0])), {
    EPSILON: Number.EPSILON, MAX_SAFE_INTEGER: Number.MAX_SAFE_INTEGER, MIN_SAFE_INTEGER: Number.MIN_SAFE_INTEGER,
    MAX_VALUE: Number.MAX_VALUE, MIN_VALUE: Number.MIN_VALUE, NaN: NaN,
    POSITIVE_INFINITY: Infinity, NEGATIVE_INFINITY: -Infinity,
    isFinite: native('isFinite', (_rt, [x]) => Number.isFinite(x)),
    isInteger: native('isInteger', (_rt, [x]) => Number.isInteger(x)),
    isNaN: native('isNaN', (_rt, [x]) => Number.isNaN(x)),
    isSafeInteger: native('isSafeInteger', (_rt, [x]) => Number.isSafeInteger(x)),
    parseFloat: native('parseFloat', parseFloatImpl),
    parseInt: native('parseInt', parseIntImpl),
  }),
  String: native('String', (_rt, args) => (args.length === 0 ? '' : toStr(args[0])), {
    fromCharCode: native('fromCharCode', (_rt, args) => String.fromCharCode(...numbers(args))),
  }),
  Boolean: native('Boolean', (_rt, [x]) => truthy(x)),
  parseInt: native('parseInt', parseIntImpl),
  parseFloat: native('parseFloat', parseFloatImpl),
  isNaN: native('isNaN', (_rt, [x]) => Number.isNaN(toNumber(x))),
  isFinite: native('isFinite', (_rt, [x]) => Number.isFinite(toNumber(x))),
  encodeURIComponent: uri(encodeURIComponent, 'encodeURIComponent'),
  decodeURIComponent: uri(decodeURIComponent, 'decodeURIComponent'),
  encodeURI: uri(encodeURI, 'encodeURI'),
  decodeURI: uri(decodeURI, 'decodeURI'),
};

/** Names of the globals every script can use. */
export const GLOBAL_NAMES: readonly string[] = Object.freeze(Object.keys(GLOBALS));

/** Looks up a global by name (own entries only). */
export function globalValue(name: string): { found: boolean; value: unknown } {
  return hasOwn(GLOBALS, name) ? { found: true, value: GLOBALS[name] } : { found: false, value: undefined };
}
