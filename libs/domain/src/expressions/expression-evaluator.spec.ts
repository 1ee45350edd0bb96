import { evaluateExpression, ExpressionError, parseExpression } from './index';

const input = {
  verdict: 'reject',
  a: 2,
  total: 250,
  name: 'Ada',
  items: [
    { sku: 'a', qty: 1, price: 10 },
    { sku: 'b', qty: 2, price: 5 },
    { sku: 'c', qty: 0, price: 7 },
  ],
  nested: { deep: { value: 'x' } },
  nothing: null,
};

function run(source: string, bindings: Record<string, unknown> = { $: input }): unknown {
  return evaluateExpression(source, bindings);
}

describe('evaluateExpression: Conductor-style samples', () => {
  it.each([
    ["$.verdict == 'reject' ? 'reject' : 'accept'", 'reject'],
    ["$.total > 100 ? 'review' : 'auto'", 'review'],
    ['(function(){ var x = $.a; if (x > 1) { return "big"; } return "small"; })()', 'big'],
    ['function e() { if ($.a == 2){return {"result": true}} else { return {"result": false}}} e();', { result: true }],
    ['$.items.map(function (i) { return i.qty * i.price; }).reduce(function (a, b) { return a + b; }, 0)', 20],
    ['$.items.filter(i => i.qty > 0).map(i => i.sku)', ['a', 'b']],
    ['(function () { var out = []; for (var i = 0; i < $.items.length; i++) { if ($.items[i].qty) out.push($.items[i].sku.toUpperCase()); } return out.join(","); })()', 'A,B'],
  ])('given %s, when evaluated, then it yields %j', (source, expected) => {
    expect(run(source)).toEqual(expected);
  });
});

describe('evaluateExpression: literals and operators', () => {
  it.each([
    ['42', 42],
    ['0x1F + 0b11 + 0o7 + 1_000', 31 + 3 + 7 + 1000],
    ['.5 + 1e3', 1000.5],
    ["'it\\'s' + \"\\u0041\\x42\\n\"", "it'sAB\n"],
    ['`sum=${1 + 2}, name=${$.name}`', 'sum=3, name=Ada'],
    ['`nested ${`inner ${$.a}`}`', 'nested inner 2'],
    ['[true, false, null, undefined]', [true, false, null, null]],
    ['({ a: 1, "b-c": 2, [`k${1}`]: 3, 4: 4, name: $.name })', { '4': 4, a: 1, 'b-c': 2, k1: 3, name: 'Ada' }],
    ['({ ...$.nested, extra: [...$.items.map(i => i.sku), "d"] })', { deep: { value: 'x' }, extra: ['a', 'b', 'c', 'd'] }],
    ['7 % 3 + 2 ** 3 ** 2 - 10 / 4', 1 + 512 - 2.5],
    ['-$.a + +"3" + ~0', 0],
    ['!$.nothing && !!$.name', true],
    ['typeof $.a + typeof $.name + typeof $.nothing + typeof $.items + typeof undeclared + typeof (x => x)', 'numberstringobjectobjectundefinedfunction'],
    ['(1 & 3) | (4 ^ 1) << 1 >> 1 >>> 0', 5],
    ["1 == '1' && null == undefined && 0 == false && '' == 0 && !(null == 0) && !(NaN == NaN)", true],
    ["1 !== '1' && 1 === 1 && 'a' != 'b'", true],
    ["'b' > 'a' && 10 > 9 && '10' < '9' && 10 > '9' && !(1 < NaN) && 2 >= 2 && 1 <= 2", true],
    ['[1, 2] == "1,2"', true],
    ['"a" + 1 + 2', 'a12'],
    ['1 + 2 + "a"', '3a'],
    ['[1, [2, 3]] + ""', '1,2,3'],
    ['({}) + ""', '[object Object]'],
    ['$.nothing ?? "default"', 'default'],
    ['0 ?? 1', 0],
    ['0 || "x"', 'x'],
    ["'deep' in $.nested && !('zzz' in $.nested) && 1 in [5, 6] && !(2 in [5, 6])", true],
    ['$.a > 1, $.a > 5', false],
    ['void 0', null],
  ])('given %s, when evaluated, then it yields %j', (source, expected) => {
    expect(run(source)).toEqual(expected);
  });
});

describe('evaluateExpression: member access and optional chaining', () => {
  it.each([
    ['$.nested.deep.value', 'x'],
    ["$['nested']['deep']['value']", 'x'],
    ['$.items[1].sku', 'b'],
    ['$.items[$.items.length - 1].sku', 'c'],
    ['$.missing', null],
    ['$.missing?.deeper.still', null],
    ['$.nothing?.[0]', null],
    ['$.nested?.deep?.value', 'x'],
    ['$.notAFunction?.()', null],
    ['"abc"[1] + "abc".length', 'b3'],
    ['$.items.length', 3],
  ])('given %s, when evaluated, then it yields %j', (source, expected) => {
    expect(run(source)).toEqual(expected);
  });

  it('given a property read on undefined, when evaluated, then a TypeError-like runtime error names the property and position', () => {
    expect(() => run('$.missing.deeper')).toThrow("TypeError: Cannot read properties of undefined (reading 'deeper') at 1:1");
  });

  it('given a call of a non-function, when evaluated, then the error names the callee', () => {
    expect(() => run('$.name.nope()')).toThrow('TypeError: $.name.nope is not a function');
  });

  it('given an undeclared variable, when evaluated, then it is a ReferenceError', () => {
    expect(() => run('1 +\n  nope')).toThrow('ReferenceError: nope is not defined at 2:3');
  });
});

describe('evaluateExpression: functions', () => {
  it.each([
    ['(x => x * 2)(21)', 42],
    ['((a, b = 10) => a + b)(1)', 11],
    ['((...xs) => xs.length)(1, 2, 3)', 3],
    ['(({ a, b: [c] }) => a + c)({ a: 1, b: [2] })', 3],
    ['(() => { return 5; })()', 5],
    ['(function fact(n) { return n <= 1 ? 1 : n * fact(n - 1); })(10)', 3628800],
    ['function outer() { return inner(); function inner() { return "hoisted"; } } outer()', 'hoisted'],
    ['function counter() { var n = 0; return () => ++n; } const c = counter(); c(); c(); c()', 3],
    ['const fs = []; for (let i = 0; i < 3; i++) fs.push(() => i); fs.map(f => f())', [0, 1, 2]],
    ['const o = { f(x) { return x + 1; } }; o.f(1)', 2],
    ['Math.max(...[1, 5, 3])', 5],
  ])('given %s, when evaluated, then it yields %j', (source, expected) => {
    expect(run(source)).toEqual(expected);
  });
});

describe('evaluateExpression: statements', () => {
  it.each([
    ['var x = 1; x += 2; x *= 3; x -= 1; x /= 2; x %= 3; x **= 2; x', 1],
    ['let a = null; a ??= 5; a ||= 6; a &&= 7; a', 7],
    ['let i = 0; i++; ++i; i--; i', 1],
    ['const o = {}; o.list = []; o.list.push(1, 2); o.count = o.list.length; o', { list: [1, 2], count: 2 }],
    ['const a = [1, 2, 3]; a[3] = 4; a[0] += 10; a.length = 2; a', [11, 2]],
    ['const o = { a: 1, b: 2 }; delete o.a; o', { b: 2 }],
    ['if ($.a > 5) { "big" } else if ($.a > 1) { "medium" } else { "small" }', 'medium'],
    ['let s = 0; for (let i = 0; i < 10; i++) { if (i === 5) break; if (i % 2) continue; s += i; } s', 6],
    ['let s = ""; for (const x of ["a", "b"]) s += x; for (const c of "cd") s += c; s', 'abcd'],
    ['let ks = []; for (const k in { p: 1, q: 2 }) ks.push(k); for (var i in [7, 8]) ks.push(i); ks', ['p', 'q', '0', '1']],
    ['let n = 0; while (n < 5) n++; n', 5],
    ['let n = 10; do { n++ } while (n < 5); n', 11],
    ['let r; switch ($.verdict) { case "accept": r = 1; break; case "reject": r = 2; case "fall": r += 1; break; default: r = 0 } r', 3],
    ['switch (9) { case 1: "one"; break; default: "other" }', 'other'],
    ['let x = 1; { let x = 2; } x', 1],
    ['var x = 1; { var x = 2; } x', 2],
    ['for (const [k, v] of Object.entries({ a: 1 })) { r = k + v } r', 'a1'],
    ['const { a, ...others } = { a: 1, b: 2, c: 3 }; others', { b: 2, c: 3 }],
    ['const [first, , third = "d", ...tail] = ["a", "b", undefined, "e", "f"]; [first, third, tail]', ['a', 'd', ['e', 'f']]],
    ['undeclared = 5; undeclared + 1', 6],
    ['return $.a * 2', 4],
    ['var $ = $.nested; $.deep.value', 'x'],
  ])('given %s, when evaluated, then it yields %j', (source, expected) => {
    expect(run(source)).toEqual(expected);
  });

  it('given a const reassignment, when evaluated, then it fails', () => {
    expect(() => run('const k = 1; k = 2')).toThrow("TypeError: Assignment to constant variable 'k'");
  });

  it('given try/catch around a throw or a TypeError, when evaluated, then catch sees the thrown value and finally runs', () => {
    expect(run('let log = []; try { throw { code: 7 } } catch (e) { log.push(e.code) } finally { log.push("f") } try { null.x } catch (e) { log.push(e.name) } log')).toEqual([
      7,
      'f',
      'TypeError',
    ]);
  });

  it('given JSON.parse of bad text inside try/catch, when evaluated, then the fallback value is used', () => {
    expect(run('let v; try { v = JSON.parse("{bad") } catch (e) { v = "fallback" } v')).toBe('fallback');
  });

  it('given an uncaught script throw, when evaluated, then it surfaces as a runtime ExpressionError with the message and position', () => {
    try {
      run('if ($.a) {\n  throw new_error\n}', { $: input, new_error: { message: 'order is invalid' } });
      throw new Error('expected a throw');
    } catch (error) {
      expect(error).toBeInstanceOf(ExpressionError);
      expect((error as ExpressionError).kind).toBe('runtime');
      expect((error as ExpressionError).message).toBe('script threw: order is invalid at 2:3');
    }
  });
});

describe('evaluateExpression: bindings and results', () => {
  it('given several bindings, when evaluated, then each is a variable', () => {
    expect(evaluateExpression('$.a + extra + more.length', { $: { a: 1 }, extra: 10, more: [1, 2] })).toBe(13);
  });

  it('given a parsed expression, when evaluated repeatedly with different inputs, then each result follows its input', () => {
    const parsed = parseExpression("$.v == 'x' ? 1 : 2");
    expect([evaluateExpression(parsed, { $: { v: 'x' } }), evaluateExpression(parsed, { $: { v: 'y' } })]).toEqual([1, 2]);
  });

  it('given results with undefined, NaN and nested objects, when returned, then they are plain JSON-compatible data', () => {
    const result = run('({ u: undefined, n: NaN, i: Infinity, list: [undefined, 1], o: { d: $.nested } })') as Record<string, unknown>;
    expect(result).toEqual({ n: null, i: null, list: [null, 1], o: { d: { deep: { value: 'x' } } } });
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });

  it('given a script that returns undefined, when evaluated, then the result is null', () => {
    expect(run('var x = 1;')).toBeNull();
  });

  it('given a returned function or a cyclic structure, when evaluated, then it is an error', () => {
    expect(() => run('x => x')).toThrow('expression result contains a function');
    expect(() => run('({ f: () => 1 })')).toThrow('expression result contains a function');
    expect(() => run('const o = {}; o.self = o; o')).toThrow('expression result contains a cycle');
  });

  it('given a binding name that is not an identifier or is a host name, when evaluated, then it is refused', () => {
    expect(() => evaluateExpression('1', { 'not valid': 1 })).toThrow("'not valid' cannot be used as a binding name");
    expect(() => evaluateExpression('1', { process: {} })).toThrow("'process' cannot be used as a binding name");
  });

  it('given a source that does not parse, when evaluated, then the syntax error is thrown', () => {
    expect(() => run('$.a ==')).toThrow(expect.objectContaining({ kind: 'syntax' }));
  });
});
