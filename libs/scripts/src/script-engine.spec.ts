import { ScriptEngine } from './script-engine';

let engine: ScriptEngine;
beforeAll(async () => {
  engine = await ScriptEngine.load({ timeoutMs: 300, memoryBytes: 8 * 1024 * 1024, stackBytes: 256 * 1024 });
});

describe('ScriptEngine: what Conductor scripts use', () => {
  it.each([
    ['the last statement is the result', 'var a = $.x * 2; a + 1', { x: 3 }, 7],
    ['an IIFE', '(function () { return $.items.map(function (i) { return i.price; }); })()', { items: [{ price: 2 }, { price: 3 }] }, [2, 3]],
    ['a top-level return (convenience)', 'return $.x + 1', { x: 1 }, 2],
    ['Java-style list access', '$.list.get(1) + $.list.size()', { list: [10, 20] }, 22],
    ['Java-style map access', '[$.m.get("k"), $.m.containsKey("k"), $.m.containsKey("z"), $.m.size(), $.m.get("z")]', { m: { k: 'v' } }, ['v', true, false, 1, null]],
    ['a map with its own "get" key keeps it', '$.m.get', { m: { get: 5 } }, 5],
    ['Java-style methods stay invisible to JSON and keys', 'JSON.stringify($) + Object.keys($.list).length', { list: [1] }, '{"list":[1]}1'],
    ['regular expressions', '/^(\\w+)@(\\w+)\\.com$/.exec($.email)[2]', { email: 'ann@example.com' }, 'example'],
    ['JSON', 'JSON.parse(JSON.stringify({ a: [1, { b: 2 }] })).a[1].b', {}, 2],
    ['Math.random and Date', 'var r = Math.random(); [r >= 0 && r < 1, typeof Date.now(), new Date(0).toISOString()]', {}, [true, 'number', '1970-01-01T00:00:00.000Z']],
    ['ES2020 syntax', 'const o = { a: { b: null } }; `${o.a?.b ?? "d"}-${[1, 2].map((x) => x * 2)}`', {}, 'd-2,4'],
    ['undefined becomes null', 'undefined', {}, null],
  ])('%s', async (_what, source, input, result) => {
    await expect(engine.evaluate(source, input)).resolves.toEqual({ ok: true, result });
  });

  it('given a function body (LAMBDA), then it must return its result', async () => {
    await expect(engine.evaluate('if ($.n > 1) return "big"; return "small";', { n: 2 }, 'function-body')).resolves.toEqual({ ok: true, result: 'big' });
  });

  it('given a script that mutates $, then the caller\'s input is untouched', async () => {
    const input = { list: [1] };
    await engine.evaluate('$.list.push(2); $.x = 1', input);
    expect(input).toEqual({ list: [1] });
  });

  it('given a script that throws, then the outcome names the error and its line', async () => {
    await expect(engine.evaluate('var a = 1;\n$.missing.field', {})).resolves.toEqual({ ok: false, kind: 'error', message: expect.stringMatching(/TypeError: .*at line 2/) });
    await expect(engine.evaluate('throw "plain"', {})).resolves.toMatchObject({ ok: false, kind: 'error', message: 'plain' });
    await expect(engine.evaluate('var = ;', {})).resolves.toMatchObject({ ok: false, kind: 'error', message: expect.stringContaining('SyntaxError') });
  });
});

describe('ScriptEngine: sandbox guarantees', () => {
  it.each([
    'typeof require',
    'typeof process',
    'typeof module',
    'typeof fetch',
    'typeof Buffer',
    'typeof setTimeout',
    'typeof console',
    'typeof std',
    'typeof os',
    "typeof Function('return this')().process",
    "typeof ''.constructor.constructor('return globalThis')().require",
  ])('given %s, then no host object is reachable', async (probe) => {
    await expect(engine.evaluate(probe, {})).resolves.toEqual({ ok: true, result: 'undefined' });
  });

  it('given a dynamic import of a host module, then it fails', async () => {
    const outcome = await engine.evaluate("import('fs')", {});
    expect(outcome.ok && typeof outcome.result === 'object' && outcome.result !== null && 'readFileSync' in outcome.result).toBe(false);
  });

  it('given prototype pollution inside the sandbox, then the host is untouched and the next script starts clean', async () => {
    await engine.evaluate('Object.prototype.polluted = 1; Array.prototype.map = null; 1', {});
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    await expect(engine.evaluate('[typeof ({}).polluted, [1].map((x) => x + 1)]', {})).resolves.toEqual({ ok: true, result: ['undefined', [2]] });
  });

  it('given a script that never ends, then it is interrupted at its time limit', async () => {
    const started = Date.now();
    await expect(engine.evaluate('while (true) {}', {})).resolves.toMatchObject({ ok: false, kind: 'timeout' });
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('given a script that allocates without end, then it stops at its memory limit', async () => {
    await expect(engine.evaluate('var a = []; for (;;) a.push("x".repeat(1024) + a.length)', {})).resolves.toMatchObject({ ok: false, kind: expect.stringMatching(/memory|timeout/) });
    await expect(engine.evaluate('"x".repeat(64 * 1024 * 1024).length', {})).resolves.toMatchObject({ ok: false, kind: 'memory' });
  });

  it('given unbounded recursion, then it fails with a stack overflow and the engine keeps working', async () => {
    await expect(engine.evaluate('function f() { return f() + 1; } f()', {})).resolves.toMatchObject({ ok: false, kind: 'error', message: expect.stringContaining('stack overflow') });
    await expect(engine.evaluate('1 + 1', {})).resolves.toEqual({ ok: true, result: 2 });
  });
});

/** The escape attempts the decider's interpreter refuses (expressions/sandbox.spec.ts), pointed at QuickJS: it may run them, but only inside its own heap. */
describe('ScriptEngine: the interpreter\'s escape attempts reach nothing of the host', () => {
  it.each([
    "''.constructor.constructor('return process')()",
    "[].map.constructor('return this')()",
    "$['constructor']['constructor']('return typeof require')()",
    "$['__pro' + 'to__'].polluted = 1",
    "const o = {}; o['__proto__'] = { polluted: 1 }; o",
    "Object.assign({}, JSON.parse('{\"__proto__\": {\"polluted\": 1}}'))",
    "Object.defineProperty(Object.prototype, 'polluted', { value: 1, enumerable: true })",
    "Array.prototype.polluted = 1",
    "'abc'.__defineGetter__('x', () => 1)",
    'this',
    'globalThis.process',
    'process.exit(1)',
    "Function('return process')()",
    "eval('process')",
    "require('fs')",
    "setTimeout(() => 1, 0)",
    "Buffer.from('x')",
    "Java.type('java.lang.Runtime')",
    'new Proxy({}, {})',
    'Reflect.ownKeys(globalThis)',
  ])('given %s, then host prototypes and globals are untouched and the engine still works', async (attempt) => {
    const outcome = await engine.evaluate(attempt, { a: 1, list: [1, 2], obj: { k: 'v' } });
    if (outcome.ok) expect(JSON.stringify(outcome.result) ?? '').not.toMatch(/"(pid|env|argv|mainModule)"/);
    expect(Object.keys(Object.prototype)).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(([] as unknown as Record<string, unknown>).polluted).toBeUndefined();
    expect(typeof process.exit).toBe('function');
    await expect(engine.evaluate('typeof process + typeof require + ({}).polluted', {})).resolves.toEqual({ ok: true, result: 'undefinedundefinedundefined' });
  });
});
