import { conditionResultToBoolean, evaluateCondition, expandJsonStrings } from './index';

describe('evaluateCondition', () => {
  it.each([
    ["$.status == 'READY'", { status: 'READY' }, true],
    ["$.status == 'READY'", { status: 'NEW' }, false],
    ['$.amount > 100 && $.currency === "EUR"', { amount: 150, currency: 'EUR' }, true],
    ['$.count', { count: 3 }, true],
    ['$.count', { count: 0 }, false],
    ['$.count', { count: -1 }, false],
    ['$.flag', { flag: 'yes' }, false],
    ['$.missing', {}, false],
  ])('given %s over %j, when evaluated, then it is %s (Conductor ScriptEvaluator.toBoolean)', (condition, payload, expected) => {
    expect(evaluateCondition(condition, payload)).toBe(expected);
  });

  it.each([undefined, null, ''])('given no condition (%j), when evaluated, then every event matches', (condition) => {
    expect(evaluateCondition(condition, { any: 1 })).toBe(true);
  });

  it('given a payload field holding JSON text, when evaluated, then the condition sees it expanded (Conductor JsonUtils.expand)', () => {
    expect(evaluateCondition("$.body.kind == 'order'", { body: '{"kind":"order"}' })).toBe(true);
    expect(evaluateCondition("$.body.kind == 'order'", { body: '{"kind":"order"}' }, { expandJsonStrings: false })).toBe(false);
  });

  it('given a string field "true", when evaluated, then expansion turns it into a boolean as in Conductor, unless expansion is off', () => {
    expect(evaluateCondition('$.flag', { flag: 'true' })).toBe(true);
    expect(evaluateCondition('$.flag', { flag: 'true' }, { expandJsonStrings: false })).toBe(false);
  });

  it("given evaluatorType 'value-param', when evaluated, then the named field decides", () => {
    expect(evaluateCondition('ready', { ready: true }, { evaluatorType: 'value-param' })).toBe(true);
  });

  it('given a condition that does not parse, when evaluated, then it throws rather than silently matching', () => {
    expect(() => evaluateCondition('$.status ==', {})).toThrow(expect.objectContaining({ kind: 'syntax' }));
  });
});

describe('conditionResultToBoolean', () => {
  it.each([
    [true, true],
    [false, false],
    [1, true],
    [0.5, true],
    [0, false],
    ['yes', false],
    [null, false],
    [{}, false],
  ])('given %j, when converted, then it is %s', (value, expected) => {
    expect(conditionResultToBoolean(value)).toBe(expected);
  });
});

describe('expandJsonStrings', () => {
  it('given object values holding JSON text, when expanded, then they are parsed, strings inside arrays are not, and the input is untouched', () => {
    const payload = { a: '{"b":1}', n: '42', s: 'plain', list: ['{"x":1}', { c: '[1,2]' }] };
    const before = JSON.stringify(payload);
    expect(expandJsonStrings(payload)).toEqual({ a: { b: 1 }, n: 42, s: 'plain', list: ['{"x":1}', { c: [1, 2] }] });
    expect(JSON.stringify(payload)).toBe(before);
  });

  it('given a top-level JSON string, when expanded, then it is parsed', () => {
    expect(expandJsonStrings('{"a":1}')).toEqual({ a: 1 });
  });
});
