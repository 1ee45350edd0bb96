import { DEFAULT_JSON_LIMITS, JsonLimitError, MAX_JSON_DEPTH, jsonLimitViolation, parseBoundedJson } from './bounded-json';
import { isDeterministicFault, isTransientFault } from './fault-classification';

const nestedArrays = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth);
const limits = { maxBytes: 1024, maxDepth: 4, maxKeys: 3, maxArrayLength: 3 };

describe('parseBoundedJson: the one decoder of inbound JSON', () => {
  it('given a document within every limit, when parsed, then it is the value JSON.parse gives', () => {
    const text = JSON.stringify({ a: [1, { b: [true, null] }], c: 'x' });
    expect(parseBoundedJson(text, limits)).toEqual(JSON.parse(text));
    expect(parseBoundedJson(new TextEncoder().encode(text), limits)).toEqual(JSON.parse(text));
  });

  it('given 10,000 levels of nesting, when parsed, then a VALIDATION_FAILED naming maxDepth, not a stack overflow', () => {
    const error = catchError(() => parseBoundedJson(nestedArrays(10_000)));
    expect(error).toBeInstanceOf(JsonLimitError);
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED', retryable: false, violation: { limit: 'maxDepth', max: DEFAULT_JSON_LIMITS.maxDepth } });
    expect((error as Error).message).toMatch(/nested deeper than 128 levels .*\(maxDepth\)/);
  });

  it('given a deep object, when refused, then the path names where the limit was crossed', () => {
    const text = JSON.stringify({ tasks: [{ decisionCases: { a: [{ decisionCases: { b: [] } }] } }] });
    expect(catchError(() => parseBoundedJson(text, { ...limits, maxDepth: 5 }))).toMatchObject({
      violation: { limit: 'maxDepth', max: 5, actual: 6, path: 'tasks[0].decisionCases.a[0]' },
    });
  });

  it('given too many keys, items or bytes, when parsed, then each limit is named', () => {
    expect(catchError(() => parseBoundedJson('{"x":{"a":1,"b":2,"c":3,"d":4}}', limits))).toMatchObject({ violation: { limit: 'maxKeys', actual: 4, path: 'x' } });
    expect(catchError(() => parseBoundedJson('[[1,2,3,4]]', limits))).toMatchObject({ violation: { limit: 'maxArrayLength', actual: 4, path: '[0]' } });
    expect(catchError(() => parseBoundedJson(`"${'x'.repeat(2000)}"`, limits))).toMatchObject({ violation: { limit: 'maxBytes', max: 1024 } });
  });

  it('given a configured depth above the hard cap, when checked, then the cap holds', () => {
    expect(jsonLimitViolation(JSON.parse(nestedArrays(MAX_JSON_DEPTH + 1)), { ...limits, maxDepth: 10_000 })).toMatchObject({ limit: 'maxDepth', max: MAX_JSON_DEPTH });
    expect(jsonLimitViolation(JSON.parse(nestedArrays(MAX_JSON_DEPTH)), { ...limits, maxDepth: 10_000 })).toBeUndefined();
  });

  it('given text that is not JSON or not UTF-8, when parsed, then a SyntaxError (a deterministic fault)', () => {
    expect(catchError(() => parseBoundedJson('{nope'))).toBeInstanceOf(SyntaxError);
    expect(catchError(() => parseBoundedJson(new Uint8Array([0x22, 0xff, 0x22])))).toBeInstanceOf(SyntaxError);
  });
});

describe('fault classification of errors of unknown kind', () => {
  it('given a stack overflow or bad JSON, then deterministic and never transient', () => {
    const overflow = catchError(() => {
      const recurse = (n: number): number => recurse(n + 1) + 1;
      return recurse(0);
    });
    expect(isDeterministicFault(overflow)).toBe(true);
    expect(isTransientFault(overflow)).toBe(false);
    expect(isDeterministicFault(catchError(() => JSON.parse('{')))).toBe(true);
  });

  it('given a connection reset, then transient; a plain Error is not', () => {
    expect(isTransientFault(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }))).toBe(true);
    expect(isTransientFault(new Error('bug'))).toBe(false);
    expect(isTransientFault(undefined)).toBe(false);
  });
});

function catchError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
