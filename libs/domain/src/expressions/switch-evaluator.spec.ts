import { evaluateSwitchCase, evaluateWithEvaluator, ExpressionError, toCaseKey, validateEvaluatorExpression } from './index';

describe('evaluateSwitchCase', () => {
  describe("given evaluatorType 'value-param' (Conductor's ValueParamEvaluator)", () => {
    it.each([
      ['a string', { kind: 'express' }, 'express'],
      ['a number', { kind: 2 }, '2'],
      ['a decimal', { kind: 1.5 }, '1.5'],
      ['a boolean', { kind: true }, 'true'],
      ['null', { kind: null }, 'null'],
      ['a missing parameter', {}, 'null'],
      ['an object', { kind: { a: 1 } }, '{"a":1}'],
    ])('when the named parameter holds %s, then the case key is its text', (_what, input, expected) => {
      expect(evaluateSwitchCase('value-param', 'kind', input)).toBe(expected);
    });

    it('when the expression names an inherited member, then it is treated as missing', () => {
      expect(evaluateSwitchCase('value-param', 'constructor', {})).toBe('null');
    });
  });

  describe("given evaluatorType 'javascript' or 'graaljs'", () => {
    it.each(['javascript', 'graaljs'])('when %s evaluates over the input bound as $, then the result is the case key', (type) => {
      expect(evaluateSwitchCase(type, "$.verdict == 'reject' ? 'reject' : 'accept'", { verdict: 'reject' })).toBe('reject');
      expect(evaluateSwitchCase(type, '$.total > 100', { total: 50 })).toBe('false');
      expect(evaluateSwitchCase(type, '$.count * 2', { count: 2 })).toBe('4');
      expect(evaluateSwitchCase(type, '$.missing', {})).toBe('null');
    });

    it('when the script fails, then an ExpressionError is raised', () => {
      expect(() => evaluateSwitchCase('javascript', '$.a.b.c', {})).toThrow(ExpressionError);
    });
  });

  it('given an unknown evaluatorType, when evaluated, then it fails as Conductor does', () => {
    expect(() => evaluateSwitchCase('python', 'x', {})).toThrow('No evaluator registered for type: python');
  });

  it('given a script that mutates its input, when evaluated, then the caller input is unchanged', () => {
    const input = { n: 1 };
    evaluateSwitchCase('javascript', '$.n = 2', input);
    expect(input).toEqual({ n: 1 });
  });
});

describe('evaluateWithEvaluator (INLINE)', () => {
  it('given an INLINE script, when evaluated, then its value is returned as plain data', () => {
    expect(evaluateWithEvaluator('graaljs', '(function(){ return { total: $.items.reduce((s, i) => s + i, 0) }; })()', { items: [1, 2, 3] })).toEqual({
      total: 6,
    });
  });

  it('given value-param, when evaluated, then the parameter value is returned as a copy', () => {
    const input = { payload: { a: [1] } };
    const result = evaluateWithEvaluator('value-param', 'payload', input) as { a: number[] };
    result.a.push(2);
    expect(input.payload.a).toEqual([1]);
  });

  it('given value-param over data nested too deep to copy, when evaluated, then it fails with an ExpressionError', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 1000; i++) deep = { deep };
    expect(() => evaluateWithEvaluator('value-param', 'deep', { deep })).toThrow(expect.objectContaining({ code: 'EXPRESSION_ERROR', kind: 'limit' }));
  });
});

describe('toCaseKey', () => {
  it.each([
    [undefined, 'null'],
    [null, 'null'],
    ['x', 'x'],
    [0, '0'],
    [-2.5, '-2.5'],
    [false, 'false'],
    [[1, 'a'], '[1,"a"]'],
  ])('given %j, when converted, then the key is %j', (value, expected) => {
    expect(toCaseKey(value)).toBe(expected);
  });
});

describe('validateEvaluatorExpression', () => {
  it.each([
    ['value-param', 'kind', []],
    ['javascript', "$.a == 'b'", []],
    ['graaljs', '(function(){ return 1; })()', []],
    ['javascript', '$.a ==', ['unexpected end of expression at 1:7']],
    ['javascript', '', ['expression must be a non-empty string']],
    ['value-param', undefined, ['expression must be a non-empty string']],
    ['python', 'x', ["unsupported evaluatorType 'python' (expected one of value-param, javascript, graaljs)"]],
    ['javascript', "this.constructor", ["'this' is not available in expressions at 1:1"]],
  ])('given evaluatorType %s and expression %j, when validated, then the problems are %j', (type, expression, expected) => {
    expect(validateEvaluatorExpression(type, expression)).toEqual(expected);
  });
});
