import { toInteger, toNumber, toStr } from './coercion';
import { runtimeFault } from './faults';
import { isCallable, type Runtime } from './values';

export type Method<T> = (rt: Runtime, self: T, args: readonly unknown[]) => unknown;

/** Builds a lookup table with no prototype, so `table.get('constructor')` is simply absent. */
export function methodTable<T>(methods: Record<string, Method<T>>): ReadonlyMap<string, Method<T>> {
  return new Map(Object.entries(methods));
}

function charged(rt: Runtime, s: string): string {
  rt.charge(1 + (s.length >> 6));
  return s;
}

function pad(rt: Runtime, s: string, args: readonly unknown[], atStart: boolean): string {
  const length = toInteger(args[0]);
  const filler = args[1] === undefined ? ' ' : toStr(args[1]);
  if (length <= s.length || filler === '') return s;
  rt.checkStringLength(length);
  rt.charge(1 + (length >> 6));
  return atStart ? s.padStart(length, filler) : s.padEnd(length, filler);
}

/** GetSubstitution for a string pattern: `$$`, `$&`, `` $` `` and `$'` (there are no groups). */
function substitute(rt: Runtime, template: string, match: string, at: number, s: string): string {
  if (!template.includes('$')) return template;
  let out = '';
  let i = 0;
  while (i < template.length) {
    const pair = template.slice(i, i + 2);
    if (pair === '$$') out += '$';
    else if (pair === '$&') out += match;
    else if (pair === '$`') out += s.slice(0, at);
    else if (pair === "$'") out += s.slice(at + match.length);
    else {
      out += template[i];
      i++;
      continue;
    }
    rt.checkStringLength(out.length);
    i += 2;
  }
  return out;
}

/**
 * Replaces occurrences of a plain string pattern (no regular expressions). Written out rather
 * than delegated to the host so the output size is checked as it grows.
 */
function replace(rt: Runtime, s: string, args: readonly unknown[], all: boolean): string {
  const pattern = toStr(args[0]);
  const replacement = args[1];
  const text = isCallable(replacement) ? '' : toStr(replacement);
  let out = '';
  let from = 0;
  let at = s.indexOf(pattern, 0);
  while (at >= 0) {
    rt.charge(1);
    const piece = isCallable(replacement) ? toStr(rt.call(replacement, [pattern, at, s])) : substitute(rt, text, pattern, at, s);
    rt.checkStringLength(out.length + (at - from) + piece.length);
    out += s.slice(from, at) + piece;
    from = at + pattern.length;
    if (!all) break;
    // An empty pattern matches between every pair of characters.
    at = pattern.length === 0 ? (at < s.length ? at + 1 : -1) : s.indexOf(pattern, from);
  }
  return rt.checkString(out + s.slice(from));
}

function indexArg(value: unknown, fallback: number): number {
  return value === undefined ? fallback : toInteger(value);
}

/** `String.prototype` methods available on string values. */
export const STRING_METHODS = methodTable<string>({
  at: (_rt, s, [i]) => s.at(toInteger(i)),
  charAt: (_rt, s, [i]) => s.charAt(toInteger(i)),
  charCodeAt: (_rt, s, [i]) => s.charCodeAt(toInteger(i)),
  codePointAt: (_rt, s, [i]) => s.codePointAt(toInteger(i)),
  concat: (rt, s, args) => rt.checkString(args.reduce<string>((acc, a) => rt.checkString(acc + toStr(a)), s)),
  endsWith: (rt, s, [x, end]) => charged(rt, s).endsWith(toStr(x), indexArg(end, s.length)),
  includes: (rt, s, [x, from]) => charged(rt, s).includes(toStr(x), indexArg(from, 0)),
  indexOf: (rt, s, [x, from]) => charged(rt, s).indexOf(toStr(x), indexArg(from, 0)),
  lastIndexOf: (rt, s, [x, from]) => charged(rt, s).lastIndexOf(toStr(x), from === undefined ? Infinity : toNumber(from)),
  localeCompare: (rt, s, [x]) => charged(rt, s).localeCompare(toStr(x), 'en'),
  padEnd: (rt, s, args) => pad(rt, s, args, false),
  padStart: (rt, s, args) => pad(rt, s, args, true),
  repeat: (rt, s, [n]) => {
    const count = toInteger(n);
    if (count < 0 || count === Infinity) throw runtimeFault('RangeError: Invalid count value');
    rt.checkStringLength(s.length * count);
    rt.charge(1 + ((s.length * count) >> 6));
    return s.repeat(count);
  },
  replace: (rt, s, args) => replace(rt, s, args, false),
  replaceAll: (rt, s, args) => replace(rt, s, args, true),
  slice: (_rt, s, [a, b]) => s.slice(indexArg(a, 0), indexArg(b, s.length)),
  split: (rt, s, [separator, limit]) => {
    const max = limit === undefined ? 0xffffffff : toInteger(limit) >>> 0;
    if (separator === undefined) return max === 0 ? [] : [s];
    const parts = s.split(toStr(separator), max);
    rt.charge(1 + parts.length);
    rt.checkArrayLength(parts.length);
    return parts;
  },
  startsWith: (rt, s, [x, from]) => charged(rt, s).startsWith(toStr(x), indexArg(from, 0)),
  substring: (_rt, s, [a, b]) => s.substring(indexArg(a, 0), indexArg(b, s.length)),
  substr: (_rt, s, [a, n]) => {
    const start = indexArg(a, 0);
    const from = start < 0 ? Math.max(s.length + start, 0) : Math.min(start, s.length);
    return s.slice(from, from + Math.max(indexArg(n, s.length - from), 0));
  },
  toLowerCase: (rt, s) => rt.checkString(charged(rt, s).toLowerCase()),
  toUpperCase: (rt, s) => rt.checkString(charged(rt, s).toUpperCase()),
  toString: (_rt: Runtime, s: string) => s,
  trim: (rt, s) => charged(rt, s).trim(),
  trimEnd: (rt, s) => charged(rt, s).trimEnd(),
  trimStart: (rt, s) => charged(rt, s).trimStart(),
  valueOf: (_rt: Runtime, s: string) => s,
});
