import fc from 'fast-check';

/**
 * Generators of hostile scripts for the sandboxes' property-based tests (the expression
 * evaluator of libs/domain and the QuickJS engine of INLINE/LAMBDA in libs/scripts), and the
 * checks that a run left the host as it was.
 */

/** Names escapes are made of: constructors, prototypes, host globals, reflective methods. */
export const dangerousNames = [
  'constructor', '__proto__', 'prototype', 'process', 'require', 'globalThis', 'global', 'this', 'Function', 'eval', 'arguments',
  'callee', 'caller', 'Reflect', 'Proxy', 'Symbol', 'Buffer', 'module', 'exports', 'import', 'setTimeout', 'Object', 'Array',
  'String', 'Number', 'JSON', 'Math', 'Date', 'toString', 'valueOf', 'call', 'apply', 'bind', '__defineGetter__', '__lookupGetter__',
  'getPrototypeOf', 'setPrototypeOf', 'defineProperty', 'assign', 'hasOwnProperty', 'polluted', 'length', 'map', 'reduce', 'sort',
];
/** An identifier, mostly a dangerous one. */
export const name = fc.constantFrom(...dangerousNames, '$', 'x', 'o', 'f', 'a', 'list');
/** A property key as a script might spell it: plain, quoted, or assembled at run time. */
const key = fc.oneof(
  name.map((n) => `'${n}'`),
  name.map((n) => `'${n.slice(0, Math.ceil(n.length / 2))}' + '${n.slice(Math.ceil(n.length / 2))}'`),
  name.map((n) => `['${n}']`),
  fc.integer({ min: -2, max: 5 }).map(String),
);
const literal = fc.oneof(
  fc.integer().map(String),
  fc.string({ maxLength: 8 }).map((s) => JSON.stringify(s)),
  fc.constantFrom('null', 'undefined', 'true', 'false', 'NaN', 'Infinity', '[]', '{}', '[1, 2, 3]', "{ a: 1, b: 'x' }", '1e308', '-0'),
);

/** A JavaScript expression built from dangerous names, computed keys, calls, functions and operators. */
export const { expression } = fc.letrec<{ expression: string; primary: string }>((tie) => ({
  primary: fc.oneof(
    { depthSize: 'small' },
    name,
    literal,
    tie('expression').map((e) => `(${e})`),
    fc.tuple(tie('primary'), name).map(([o, n]) => `${o}.${n}`),
    fc.tuple(tie('primary'), key).map(([o, k]) => `${o}[${k}]`),
    fc.tuple(tie('primary'), fc.array(tie('expression'), { maxLength: 2 })).map(([f, args]) => `${f}(${args.join(', ')})`),
    fc.tuple(name, tie('expression')).map(([p, body]) => `((${p}) => ${body})`),
    tie('expression').map((body) => `(function () { return ${body} })`),
    fc.tuple(name, key, tie('expression')).map(([n, k, v]) => `({ ${n}: 1, [${k}]: ${v} })`),
  ),
  expression: fc.oneof(
    { depthSize: 'small' },
    tie('primary'),
    fc.tuple(tie('primary'), fc.constantFrom('+', '-', '*', '/', '%', '==', '===', '<', '&&', '||', '??', 'in', 'instanceof', '**'), tie('primary')).map(
      ([l, op, r]) => `${l} ${op} ${r}`,
    ),
    fc.tuple(tie('primary'), key, tie('expression')).map(([o, k, v]) => `${o}[${k}] = ${v}`),
    fc.tuple(tie('primary'), name, tie('expression')).map(([o, n, v]) => `${o}.${n} = ${v}`),
    fc.tuple(fc.constantFrom('typeof ', 'void ', '!', '-', 'new ', '...', 'delete '), tie('primary')).map(([op, e]) => `${op}${e}`),
    fc.tuple(tie('expression'), tie('expression'), tie('expression')).map(([c, a, b]) => `${c} ? ${a} : ${b}`),
  ),
}));

/** Statements around the expressions: declarations, loops that may never end, try/catch, throw. */
export const statement = fc.oneof(
  expression.map((e) => `${e};`),
  fc.tuple(name, expression).map(([n, e]) => `const ${n}_ = ${e};`),
  fc.tuple(name, expression).map(([n, e]) => `let ${n} = ${e};`),
  expression.map((e) => `while (true) { ${e}; }`),
  expression.map((e) => `for (let i = 0; i < 1e9; i++) { ${e}; }`),
  expression.map((e) => `for (const k in ${e}) { k; }`),
  fc.tuple(expression, expression).map(([t, c]) => `try { ${t}; } catch (e) { ${c}; }`),
  expression.map((e) => `throw ${e};`),
  expression.map((e) => `(function r(n) { return r(n + 1) + ${e} })(0);`),
);
/** Scripts that try to run forever or grow without bound: the budgets must stop them. */
export const busy = fc.tuple(
  fc.constantFrom(
    'let n = 0; while (true) { n++ } n',
    "let s = 'ab'; while (true) { s = s + s } s",
    'const a = []; for (;;) { a.push(a.length) } a',
    '(function r(n) { return r(n + 1) })(0)',
    'let t = 0; for (let i = 0; i < 1e9; i++) { t += i } t',
    "'x'.repeat(1e9)",
    'Array(1e9).fill(1)',
    'let o = {}; for (let i = 0; ; i++) { o = { o } } o',
    '[1, 2, 3].map(() => { while (true) {} })',
  ),
  expression,
).map(([script, extra]) => `${extra}; ${script}`);
/** A whole script: an expression, statements ending in one, a busy script, or token soup. */
export const program = fc.oneof(
  expression,
  busy,
  fc.array(statement, { minLength: 1, maxLength: 4 }).chain((statements) => expression.map((last) => `${statements.join(' ')} ${last}`)),
  // Token soup: mostly syntax errors, which must be reported as such and nothing else.
  fc.array(fc.oneof(name, literal, fc.constantFrom('(', ')', '[', ']', '{', '}', '.', ',', ';', '=>', '=', '+', '`', '${', '?.', '...')), { maxLength: 20 }).map((t) => t.join(' ')),
);

/** Inputs with keys an attacker would choose, including JSON-parsed `__proto__` keys. */
export const input = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.dictionary(fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'a', 'list'), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
  fc.constant(JSON.parse('{"__proto__": {"polluted": true}, "list": [1, 2]}') as unknown),
);

/** The host's prototypes and globals, to compare before and after scripts ran. */
export const hostSnapshot = (): string =>
  JSON.stringify([
    Object.getOwnPropertyNames(Object.prototype),
    Object.getOwnPropertyNames(Array.prototype),
    Object.getOwnPropertyNames(Function.prototype),
    Object.getOwnPropertyNames(String.prototype),
    Object.getOwnPropertyNames(Number.prototype),
    Object.getOwnPropertyNames(globalThis).sort(),
    Object.getOwnPropertyNames(Math),
    Object.getOwnPropertyNames(JSON),
  ]);
/** Host functions a script would love to replace. */
export const hostFunctions = [Object.prototype.toString, Object.prototype.hasOwnProperty, Array.prototype.map, Function.prototype.call, JSON.parse, Math.max];

/** JSON-compatible data only: no function, no host object, no exotic prototype. */
export function isPlainData(value: unknown, depth = 0): boolean {
  if (depth > 200) return false;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return Object.getPrototypeOf(value) === Array.prototype && value.every((item) => isPlainData(item, depth + 1));
  if (typeof value !== 'object') return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return false;
  return Object.values(value).every((item) => isPlainData(item, depth + 1));
}

