import { evaluateExpression, ExpressionError } from './index';

function failure(source: string, bindings: Record<string, unknown> = { $: { a: 1, list: [1, 2], obj: { k: 'v' } } }): ExpressionError {
  try {
    evaluateExpression(source, bindings);
  } catch (error) {
    if (error instanceof ExpressionError) return error;
    throw new Error(`a non-ExpressionError escaped: ${String(error)}`);
  }
  throw new Error(`expected ${source} to be refused`);
}

afterEach(() => {
  // Nothing a script does may leave a trace on the host's prototypes.
  expect(Object.keys(Object.prototype)).toEqual([]);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(([] as unknown as Record<string, unknown>).polluted).toBeUndefined();
  expect(Object.prototype.toString).toBe(Object.prototype.toString);
});

describe('sandbox: escape attempts are refused', () => {
  it.each([
    "''.constructor.constructor('return process')()",
    "[].map.constructor('return this')()",
    "(() => 1).constructor('return process')()",
    "$['constructor']['constructor']('return process')()",
    "$.list['const' + 'ructor']",
    "const k = 'constructor'; $[k][k]('return process')()",
    "const k = ['__proto__']; $.obj[k]",
    '$.__proto__',
    "$['__pro' + 'to__'].polluted = 1",
    "$.obj['__proto__'].polluted = 1",
    "const o = {}; o['__proto__'] = { polluted: 1 }; o",
    "const o = {}; o[['__proto__']] = 1",
    "({ ['__proto__']: { polluted: 1 } })",
    "Object.assign({}, JSON.parse('{\"__proto__\": {\"polluted\": 1}}')).polluted.x",
    "JSON.parse('{\"__proto__\": {\"polluted\": 1}}')['__proto__']",
    "Math.max.constructor",
    "[].map['call']([1], x => x)",
    "[].map.apply(null, [])",
    "Object['getPrototypeOf']($)",
    "Object.getPrototypeOf($)",
    "Object.defineProperty({}, 'x', {})",
    "String.prototype",
    "'abc'.__defineGetter__('x', () => 1)",
    "$.list.__lookupGetter__",
    "(function(){ return arguments.callee })()",
    'this',
    'globalThis.process',
    'process.exit(1)',
    "Function('return process')()",
    "eval('process')",
    "import('fs')",
    "require('fs')",
    "new Function('return 1')",
    "Reflect.get($, 'a')",
    "Symbol.iterator",
    "Java.type('java.lang.Runtime')",
    "setTimeout(() => 1, 0)",
    "Buffer.from('x')",
    'Math.random()',
    'Date.now()',
    'new Date()',
    "(1).constructor",
    "true['constructor']",
    "[].sort.caller",
  ])('given %s, when evaluated, then an ExpressionError is raised', (source) => {
    const error = failure(source);
    expect(error.code).toBe('EXPRESSION_ERROR');
    expect(error.retryable).toBe(false);
    expect(['forbidden', 'runtime', 'syntax']).toContain(error.kind);
  });

  it.each(["$['__proto__']", "$.obj['constructor']", "$['con' + 'structor']", "Math['__proto__']", "'x'['prototype']"])(
    'given a computed forbidden key %s, when evaluated, then it is refused as forbidden',
    (source) => {
      expect(failure(source).kind).toBe('forbidden');
    },
  );

  it('given a script that writes to its input, when evaluated, then the caller\'s object is untouched', () => {
    const $ = { order: { status: 'NEW', lines: [{ qty: 1 }] } };
    const before = JSON.stringify($);
    const result = evaluateExpression('$.order.status = "HACKED"; $.order.lines.push({ qty: 9 }); $.order.lines[0].qty = 0; $.extra = 1; $', { $ });
    expect(JSON.stringify($)).toBe(before);
    expect(result).toEqual({ order: { status: 'HACKED', lines: [{ qty: 0 }, { qty: 9 }] }, extra: 1 });
  });

  it('given input objects, when the script inspects them, then they have no prototype to reach', () => {
    expect(evaluateExpression('[typeof $.valueOf, typeof $.isPrototypeOf, "toString" in $, $.hasOwnProperty("a"), $.toString()]', { $: { a: 1 } })).toEqual([
      'undefined',
      'undefined',
      false,
      true,
      '[object Object]',
    ]);
  });

  it('given input with getters and host objects, when copied in, then only plain data reaches the script', () => {
    let reads = 0;
    const host = {
      get lazy() {
        reads++;
        return 'value';
      },
      fn: () => 'secret',
      when: new Date(0),
    };
    expect(evaluateExpression('[$.lazy, typeof $.fn, $.when]', { $: host })).toEqual(['value', 'undefined', '1970-01-01T00:00:00.000Z']);
    expect(reads).toBe(1);
  });

  it('given a namespace such as Math, when a script assigns to it, then the shared global is not changed', () => {
    expect(failure('Math.max = () => 666').message).toContain('read only');
    expect(evaluateExpression('Math.max(1, 2)', {})).toBe(2);
  });

  it('given a global name reassigned, when the next evaluation runs, then it sees the original global', () => {
    expect(evaluateExpression('JSON = 1; JSON', {})).toBe(1);
    expect(evaluateExpression('typeof JSON.stringify', {})).toBe('function');
  });

  it('given a forbidden access inside try/catch, when evaluated, then the script cannot swallow it', () => {
    expect(failure('let r = "caught"; try { $["__proto__"] } catch (e) { r = "swallowed" } r').kind).toBe('forbidden');
  });

  it('given an object with a toString function, when coerced to a string, then the script function is not called', () => {
    expect(evaluateExpression('let called = false; const o = { toString() { called = true; return "x" } }; [String(o), "" + o, called]', {})).toEqual([
      '[object Object]',
      '[object Object]',
      false,
    ]);
  });

  it('given a toJSON member, when stringified, then it is not called', () => {
    expect(evaluateExpression('JSON.stringify({ a: 1, toJSON: () => "hijack" })', {})).toBe('{"a":1}');
  });

  it('given a hand-built tree instead of a parsed expression, when evaluated, then it is refused', () => {
    const forged = { source: '$.constructor', program: { type: 'Program', start: 0, body: [], varNames: [] } };
    expect(() => evaluateExpression(forged as never, { $: {} })).toThrow(ExpressionError);
  });
});
