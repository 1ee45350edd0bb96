import { join, toInteger, toNumber, toStr, truthy } from './coercion';
import { runtimeFault } from './faults';
import { methodTable } from './string-methods';
import { isCallable, type Runtime } from './values';

type Items = unknown[];

function callback(fn: unknown, method: string): unknown {
  if (!isCallable(fn)) throw runtimeFault(`TypeError: ${toStr(fn)} is not a function (argument of ${method})`);
  return fn;
}

/** Resolves a relative index argument (negative counts from the end), clamped to [0, length]. */
function relative(value: unknown, length: number, fallback: number): number {
  if (value === undefined) return fallback;
  const n = toInteger(value);
  return n < 0 ? Math.max(length + n, 0) : Math.min(n, length);
}

/**
 * Calls `fn(item, index, array)` for each index in order (or reverse order); returns the first
 * index whose result satisfies `stop`, or -1.
 */
function scan(rt: Runtime, items: Items, fn: unknown, method: string, stop: (result: unknown, index: number) => boolean, reverse = false): number {
  callback(fn, method);
  const length = items.length;
  for (let k = 0; k < length; k++) {
    const i = reverse ? length - 1 - k : k;
    rt.charge(1);
    if (stop(rt.call(fn, [items[i], i, items]), i)) return i;
  }
  return -1;
}

function flatten(rt: Runtime, items: Items, depth: number, out: Items): Items {
  for (const item of items) {
    rt.charge(1);
    if (Array.isArray(item) && depth > 0) flatten(rt, item, depth - 1, out);
    else out.push(item);
    rt.checkArrayLength(out.length);
  }
  return out;
}

function reduce(rt: Runtime, items: Items, args: readonly unknown[], fromRight: boolean): unknown {
  const fn = callback(args[0], fromRight ? 'reduceRight' : 'reduce');
  const length = items.length;
  let k = 0;
  let acc: unknown;
  if (args.length >= 2) acc = args[1];
  else if (length === 0) throw runtimeFault('TypeError: Reduce of empty array with no initial value');
  else acc = items[fromRight ? length - 1 - k++ : k++];
  for (; k < length; k++) {
    const i = fromRight ? length - 1 - k : k;
    rt.charge(1);
    acc = rt.call(fn, [acc, items[i], i, items]);
  }
  return acc;
}

/** JavaScript's default sort order: by string value. */
function defaultCompare(a: unknown, b: unknown): number {
  const sa = toStr(a);
  const sb = toStr(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

function itemAt(items: Items, index: number): unknown {
  return index < 0 ? undefined : items[index];
}

function grow(rt: Runtime, items: Items, added: number): void {
  rt.checkArrayLength(items.length + added);
  rt.charge(1 + added);
}

/** `Array.prototype` methods available on array values. */
export const ARRAY_METHODS = methodTable<Items>({
  at: (_rt, a, [i]) => a.at(toInteger(i)),
  concat: (rt, a, args) => {
    const out = a.slice();
    for (const arg of args) {
      const added = Array.isArray(arg) ? arg : [arg];
      grow(rt, out, added.length);
      out.push(...added);
    }
    return out;
  },
  every: (rt, a, [fn]) => scan(rt, a, fn, 'every', (r) => !truthy(r)) < 0,
  filter: (rt, a, [fn]) => {
    const out: Items = [];
    scan(rt, a, fn, 'filter', (r, i) => {
      if (truthy(r)) out.push(a[i]);
      return false;
    });
    return out;
  },
  find: (rt, a, [fn]) => itemAt(a, scan(rt, a, fn, 'find', truthy)),
  findIndex: (rt, a, [fn]) => scan(rt, a, fn, 'findIndex', truthy),
  findLast: (rt, a, [fn]) => itemAt(a, scan(rt, a, fn, 'findLast', truthy, true)),
  findLastIndex: (rt, a, [fn]) => scan(rt, a, fn, 'findLastIndex', truthy, true),
  flat: (rt, a, [depth]) => flatten(rt, a, depth === undefined ? 1 : toInteger(depth), []),
  flatMap: (rt, a, [fn]) => {
    const mapped: Items = [];
    scan(rt, a, fn, 'flatMap', (r) => {
      mapped.push(r);
      return false;
    });
    return flatten(rt, mapped, 1, []);
  },
  forEach: (rt, a, [fn]) => {
    scan(rt, a, fn, 'forEach', () => false);
    return undefined;
  },
  includes: (rt, a, [x, from]) => {
    rt.charge(1 + a.length);
    return a.includes(x, relative(from, a.length, 0));
  },
  indexOf: (rt, a, [x, from]) => {
    rt.charge(1 + a.length);
    return a.indexOf(x, relative(from, a.length, 0));
  },
  join: (rt, a, [separator]) => {
    rt.charge(1 + a.length);
    return rt.checkString(join(a, separator === undefined ? ',' : toStr(separator)));
  },
  lastIndexOf: (rt, a, [x]) => {
    rt.charge(1 + a.length);
    return a.lastIndexOf(x);
  },
  map: (rt, a, [fn]) => {
    const out: Items = new Array<unknown>(a.length);
    scan(rt, a, fn, 'map', (r, i) => {
      out[i] = r;
      return false;
    });
    return out;
  },
  pop: (_rt, a) => a.pop(),
  push: (rt, a, args) => {
    grow(rt, a, args.length);
    return a.push(...args);
  },
  reduce: (rt, a, args) => reduce(rt, a, args, false),
  reduceRight: (rt, a, args) => reduce(rt, a, args, true),
  reverse: (rt, a) => {
    rt.charge(1 + a.length);
    return a.reverse();
  },
  shift: (rt, a) => {
    rt.charge(1 + a.length);
    return a.shift();
  },
  slice: (rt, a, [start, end]) => {
    const out = a.slice(relative(start, a.length, 0), relative(end, a.length, a.length));
    rt.charge(1 + out.length);
    return out;
  },
  some: (rt, a, [fn]) => scan(rt, a, fn, 'some', truthy) >= 0,
  sort: (rt, a, [compare]) => {
    if (compare !== undefined) callback(compare, 'sort');
    rt.charge(1 + a.length * Math.ceil(Math.log2(a.length + 1)));
    // The host sort never passes `undefined` to the comparator: those go last, as in JS.
    return a.sort((x, y) => {
      if (compare === undefined) return defaultCompare(x, y);
      rt.charge(1);
      const r = toNumber(rt.call(compare, [x, y]));
      return Number.isNaN(r) ? 0 : r;
    });
  },
  splice: (rt, a, [start, count, ...inserted]) => {
    const from = relative(start, a.length, 0);
    const removeCount = count === undefined ? a.length - from : Math.min(Math.max(toInteger(count), 0), a.length - from);
    rt.checkArrayLength(a.length + inserted.length);
    rt.charge(1 + inserted.length + a.length - from);
    return a.splice(from, removeCount, ...inserted);
  },
  toString: (rt: Runtime, a: Items) => {
    rt.charge(1 + a.length);
    return rt.checkString(join(a, ','));
  },
  unshift: (rt, a, args) => {
    grow(rt, a, args.length);
    rt.charge(a.length);
    return a.unshift(...args);
  },
});
