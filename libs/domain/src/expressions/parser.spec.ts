import { ExpressionError, getParsedExpression, isParsedExpression, parseExpression } from './index';

function errorOf(source: string): ExpressionError {
  try {
    parseExpression(source);
  } catch (error) {
    if (error instanceof ExpressionError) return error;
    throw error;
  }
  throw new Error(`expected ${source} not to parse`);
}

describe('parseExpression', () => {
  it.each([
    "$.verdict == 'reject' ? 'reject' : 'accept'",
    '(function(){ var x = $.a; if (x > 1) { return "big"; } return "small"; })()',
    'function e() { if ($.value == 1){return {"result": true}} else { return {"result": false}}} e();',
    '$.items.map(x => x.a).filter((a, i) => a > i)',
    'var a = 1\nvar b = 2\na + b',
    'let s = 0; for (const x of $.xs) { s += x } s',
    'for (var k in $) { } k',
    'do { i++ } while (i < 3)',
    'switch ($.k) { case 1: r = "one"; break; default: r = "other" }',
    'try { JSON.parse($.s) } catch (e) { null } finally { }',
    'const { a, b: [c, d = 2], ...rest } = $; [a, c, d, rest]',
    '`total: ${$.n * 2} items`',
    'a?.b?.[0]?.(1) ?? "none"',
    '/* comment */ 1 // trailing',
  ])('given valid source, when parsed, then it parses: %s', (source) => {
    const parsed = parseExpression(source);
    expect(parsed.source).toBe(source);
    expect(isParsedExpression(parsed)).toBe(true);
  });

  describe('given a syntax error', () => {
    it.each([
      ['$.a >', 'unexpected end of expression', 1, 6],
      ['$.a == ', 'unexpected end of expression', 1, 8],
      ["'unterminated", 'unterminated string literal', 1, 1],
      ['(1 + 2', "expected ')' but the expression ended", 1, 7],
      ['var x = 1\nx +* 2', "unexpected token '*'", 2, 4],
      ['if (x) {\n  return 1;\n', "expected '}' but the expression ended", 3, 1],
      ['a b', "expected ';' but found 'b'", 1, 3],
      ['1 = 2', 'invalid assignment target', 1, 3],
      ['break', "'break' outside of a loop", 1, 1],
      ['@', "unexpected character '@'", 1, 1],
      ['[1,,2]', 'array holes are not supported', 1, 4],
      ['const x;', 'missing initializer in declaration', 1, 7],
      ['x = 10n', 'BigInt literals are not supported', 1, 5],
    ])('when %j is parsed, then it fails with "%s" at %i:%i', (source, message, line, column) => {
      const error = errorOf(source);
      expect(error.kind).toBe('syntax');
      expect(error.code).toBe('EXPRESSION_ERROR');
      expect(error.retryable).toBe(false);
      expect(error.message).toBe(`${message} at ${line}:${column}`);
      expect(error.position).toEqual({ line, column });
      expect(error.details).toMatchObject({ kind: 'syntax', line, column });
    });
  });

  describe('given a construct outside the supported subset', () => {
    it.each([
      ['x.match(/a+/)', 'regular expression literals are not supported'],
      ['class A {}', 'classes are not supported'],
      ['async function f() {}', 'async functions are not supported'],
      ['a instanceof B', "'instanceof' is not supported"],
      ['({ get x() { return 1 } })', 'getters and setters are not supported'],
      ['foo: for (;;) { break foo }', "expected ';' but found ':'"],
      ['f`tagged`', 'tagged templates are not supported'],
    ])('when %j is parsed, then it is rejected: %s', (source, message) => {
      expect(errorOf(source).message).toContain(message);
    });
  });

  describe('given names that reach the host', () => {
    it.each([
      ['this.x', "'this' is not available"],
      ['new Date()', "'new' is not allowed"],
      ["import('fs')", "'import' is not allowed"],
      ["require('fs')", "'require' is not available"],
      ['process.env', "'process' is not available"],
      ['globalThis.process', "'globalThis' is not available"],
      ["eval('1')", "'eval' is not available"],
      ["Function('return 1')()", "'Function' is not available"],
      ["Java.type('java.lang.System')", "'Java' is not available"],
      ['Reflect.ownKeys($)', "'Reflect' is not available"],
      ["''.constructor", "access to 'constructor' is not allowed"],
      ['$.__proto__', "access to '__proto__' is not allowed"],
      ["$['prototype']", "access to 'prototype' is not allowed"],
      ['({ __proto__: null })', "property name '__proto__' is not allowed"],
      ['const { constructor } = $', "access to 'constructor' is not allowed"],
      ['a.__defineGetter__', "access to '__defineGetter__' is not allowed"],
    ])('when %j is parsed, then it is refused as forbidden', (source, message) => {
      const error = errorOf(source);
      expect(error.kind).toBe('forbidden');
      expect(error.message).toContain(message);
    });

    it('when an identifier is spelled with a unicode escape, then it is refused rather than decoded', () => {
      expect(errorOf('$.\\u0063onstructor').message).toContain('unicode escapes in identifiers are not supported');
    });
  });

  it('given deeply nested source, when parsed, then it fails with a limit error instead of overflowing the stack', () => {
    const error = errorOf(`${'('.repeat(5000)}1${')'.repeat(5000)}`);
    expect(error.kind).toBe('limit');
    expect(error.message).toContain('nesting deeper than');
  });

  it('given an empty source, when parsed, then it is rejected', () => {
    expect(errorOf('  // nothing\n').message).toBe('expression is empty');
  });

  it('given a hand-built object, when checked, then it is not a parsed expression', () => {
    expect(isParsedExpression({ source: '1', program: { type: 'Program', start: 0, body: [], varNames: [] } })).toBe(false);
  });
});

describe('getParsedExpression', () => {
  it('given the same source twice, when parsed through the cache, then the same tree is returned', () => {
    expect(getParsedExpression('$.a + 1')).toBe(getParsedExpression('$.a + 1'));
  });
});
