import { DEFAULT_EVALUATION_LIMITS, evaluateExpression, ExpressionError } from './index';

function limitError(source: string, options = {}): ExpressionError {
  try {
    evaluateExpression(source, { $: {} }, options);
  } catch (error) {
    if (error instanceof ExpressionError) return error;
    throw new Error(`a non-ExpressionError escaped: ${String(error)}`);
  }
  throw new Error(`expected ${source} to exceed a limit`);
}

describe('limits', () => {
  it('given the defaults, when read, then they match the documented budget', () => {
    expect(DEFAULT_EVALUATION_LIMITS).toEqual({ maxSteps: 100_000, maxCallDepth: 200, maxStringLength: 1024 * 1024, maxArrayLength: 100_000 });
  });

  it.each(['while (true) {}', 'for (;;) {}', 'do {} while (true)', 'let i = 0; while (i >= 0) i++', '[1].map(function f(x) { while (true) {} })'])(
    'given an endless loop %s, when evaluated, then it stops on the step budget',
    (source) => {
      const error = limitError(source);
      expect(error.kind).toBe('limit');
      expect(error.message).toContain('exceeded the step budget of 100000 steps');
    },
  );

  it('given a smaller budget, when a long loop runs, then that budget applies', () => {
    expect(limitError('let s = 0; for (let i = 0; i < 1000; i++) s += i; s', { maxSteps: 500 }).message).toContain('step budget of 500 steps');
    expect(evaluateExpression('let s = 0; for (let i = 0; i < 1000; i++) s += i; s', {}, { maxSteps: 50_000 })).toBe(499500);
  });

  it('given a loop that throws and catches forever, when evaluated, then the budget still stops it', () => {
    expect(limitError('while (true) { try { throw 1 } catch (e) {} }').kind).toBe('limit');
  });

  it('given a budget error inside try/finally, when evaluated, then catch cannot swallow it', () => {
    expect(limitError('let n = 0; try { while (true) n++ } catch (e) { n = -1 } finally { n = -2 } n').kind).toBe('limit');
  });

  it.each(['function f() { return f(); } f()', '(function g(n) { return g(n + 1) + 1; })(0)', 'const h = x => h(x); h(1)', '[1].map(function m(x) { return [x].map(m); })'])(
    'given unbounded recursion %s, when evaluated, then it stops on the call depth',
    (source) => {
      const error = limitError(source);
      expect(error.kind).toBe('limit');
      expect(error.message).toContain('maximum call depth of 200');
    },
  );

  it('given recursion within the depth, when evaluated, then it completes', () => {
    expect(evaluateExpression('function sum(n) { return n === 0 ? 0 : n + sum(n - 1); } sum(150)', {})).toBe(11325);
  });

  it.each([
    'let s = "x"; while (true) s += s',
    '"x".repeat(2000000)',
    '"x".padStart(5000000)',
    'let s = "ab"; for (let i = 0; i < 30; i++) s = `${s}${s}`; s',
    'let a = ["x".repeat(1000)]; for (let i = 0; i < 12; i++) a = a.concat(a); a.join("")',
    '"aaaa".repeat(1000).replaceAll("a", "x".repeat(1000))',
    'JSON.stringify(Array.from({ length: 90000 }, () => "abcdefghijklmnopqrstuvwxyz"))',
  ])('given a script building a huge string %s, when evaluated, then it stops at the string length limit', (source) => {
    const error = limitError(source);
    expect(error.kind).toBe('limit');
    expect(error.message).toMatch(/maximum string length|step budget/);
  });

  it('given a script building a huge array by doubling, when evaluated, then it stops at a limit', () => {
    expect(limitError('let a = [1]; while (true) a = a.concat(a)').kind).toBe('limit');
    expect(limitError('let a = [1]; while (true) a.push(...a)').kind).toBe('limit');
  });

  it('given a hole-making index write, when evaluated, then it is refused', () => {
    expect(limitError('const a = []; a[1000000] = 1').message).toContain('arrays may not have holes');
  });

  it('given deeply nested input data, when bound, then it is refused instead of overflowing the stack', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 10_000; i++) deep = [deep];
    expect(() => evaluateExpression('$', { $: deep })).toThrow(expect.objectContaining({ kind: 'limit' }));
  });

  it('given deeply nested JSON text, when parsed by the script, then it is refused', () => {
    const error = limitError(`JSON.parse("${'['.repeat(5000)}${']'.repeat(5000)}")`);
    expect(error.kind).toBe('limit');
  });

  it('given an invalid option, when evaluated, then it is refused', () => {
    expect(() => evaluateExpression('1', {}, { maxSteps: 0 })).toThrow('option maxSteps must be a positive integer');
  });
});
