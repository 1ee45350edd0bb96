import { SandboxFault } from './faults';

export type TokenKind = 'num' | 'str' | 'template' | 'name' | 'punc' | 'eof';

/** One part of a template literal: cooked text followed (except for the last) by an expression. */
export interface TemplatePart {
  readonly text: string;
  /** Tokens of the `${...}` that follows `text`, ending with an `eof` token; absent on the last part. */
  readonly tokens?: readonly Token[];
}

export interface Token {
  readonly kind: TokenKind;
  /** Identifier/keyword name, punctuator text, or cooked string value. */
  readonly value: string;
  readonly num?: number;
  readonly parts?: readonly TemplatePart[];
  readonly start: number;
  readonly end: number;
  /** A line break separates this token from the previous one (drives semicolon insertion). */
  readonly newlineBefore: boolean;
}

// Longest first, so `>>>=` wins over `>>>` and `>>`.
const PUNCTUATORS = [
  '>>>=', '...', '===', '!==', '**=', '<<=', '>>=', '>>>', '&&=', '||=', '??=',
  '=>', '==', '!=', '<=', '>=', '&&', '||', '??', '?.', '++', '--', '+=', '-=', '*=', '/=', '%=',
  '&=', '|=', '^=', '**', '<<', '>>',
  '{', '}', '(', ')', '[', ']', ';', ',', '<', '>', '+', '-', '*', '/', '%', '&', '|', '^', '!', '~',
  '?', ':', '=', '.',
];

// After these tokens a `/` starts a regular expression, not a division.
const REGEX_AFTER_NAMES = new Set(['return', 'typeof', 'case', 'do', 'else', 'in', 'of', 'delete', 'void', 'throw']);

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v', '0': '\0' };

function isIdentStart(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_' || c === '$' || c > '\x7f';
}

function isIdentPart(c: string): boolean {
  return isIdentStart(c) || (c >= '0' && c <= '9');
}

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

/**
 * Splits script source into tokens. Regular expression literals are rejected here because they
 * are the usual ReDoS vector; string methods take plain string patterns instead.
 */
export function tokenize(source: string): Token[] {
  return new Tokenizer(source, 0).run(false).tokens;
}

class Tokenizer {
  readonly tokens: Token[] = [];
  private newline = false;

  constructor(
    private readonly src: string,
    private pos: number,
  ) {}

  /** Tokenizes until end of input, or (inside a template) until the `}` closing `${`. */
  run(untilBrace: boolean): { tokens: Token[]; end: number } {
    let depth = 0;
    for (;;) {
      this.skipTrivia();
      if (this.pos >= this.src.length) {
        if (untilBrace) throw this.fault('unterminated template expression', this.pos);
        this.push('eof', '', this.pos, this.pos);
        return { tokens: this.tokens, end: this.pos };
      }
      const c = this.src[this.pos];
      if (untilBrace && c === '}' && depth === 0) {
        this.push('eof', '', this.pos, this.pos);
        return { tokens: this.tokens, end: this.pos + 1 };
      }
      if (c === '{') depth++;
      if (c === '}') depth--;
      this.next(c);
    }
  }

  private next(c: string): void {
    const start = this.pos;
    if (isIdentStart(c)) return this.readName(start);
    if (isDigit(c) || (c === '.' && isDigit(this.src[start + 1] ?? ''))) return this.readNumber(start);
    if (c === '"' || c === "'") return this.push('str', this.readString(c), start, this.pos);
    if (c === '`') return this.readTemplate(start);
    if (c === '\\') throw this.fault('unicode escapes in identifiers are not supported', start);
    if (c === '/' && this.regexAllowed()) {
      throw this.fault('regular expression literals are not supported; use string methods', start);
    }
    for (const p of PUNCTUATORS) {
      if (this.src.startsWith(p, start)) {
        // `?.5` is a conditional followed by a number, not optional chaining.
        if (p === '?.' && isDigit(this.src[start + 2] ?? '')) continue;
        this.pos += p.length;
        return this.push('punc', p, start, this.pos);
      }
    }
    throw this.fault(`unexpected character '${c}'`, start);
  }

  private regexAllowed(): boolean {
    const prev = this.tokens[this.tokens.length - 1];
    if (prev === undefined) return true;
    if (prev.kind === 'num' || prev.kind === 'str' || prev.kind === 'template') return false;
    if (prev.kind === 'name') return REGEX_AFTER_NAMES.has(prev.value);
    return prev.value !== ')' && prev.value !== ']' && prev.value !== '}';
  }

  private skipTrivia(): void {
    const src = this.src;
    while (this.pos < src.length) {
      const c = src[this.pos];
      if (c === '\n' || c === '\u2028' || c === '\u2029') {
        this.newline = true;
        this.pos++;
      } else if (c === ' ' || c === '\t' || c === '\r' || c === '\v' || c === '\f' || c === '\u00a0' || c === '\ufeff') {
        this.pos++;
      } else if (c === '/' && src[this.pos + 1] === '/') {
        while (this.pos < src.length && src[this.pos] !== '\n') this.pos++;
      } else if (c === '/' && src[this.pos + 1] === '*') {
        const close = src.indexOf('*/', this.pos + 2);
        if (close < 0) throw this.fault('unterminated comment', this.pos);
        if (src.slice(this.pos, close).includes('\n')) this.newline = true;
        this.pos = close + 2;
      } else {
        return;
      }
    }
  }

  private readName(start: number): void {
    let end = start + 1;
    while (end < this.src.length && isIdentPart(this.src[end])) end++;
    if (this.src[end] === '\\') throw this.fault('unicode escapes in identifiers are not supported', end);
    this.pos = end;
    this.push('name', this.src.slice(start, end), start, end);
  }

  private readNumber(start: number): void {
    const src = this.src;
    let end = start;
    let value: number;
    const radix = src[start] === '0' ? { x: 16, X: 16, o: 8, O: 8, b: 2, B: 2 }[src[start + 1] ?? ''] : undefined;
    if (radix !== undefined) {
      end = start + 2;
      while (end < src.length && /[0-9a-fA-F_]/.test(src[end])) end++;
      const digits = src.slice(start + 2, end).replace(/_/g, '');
      value = digits === '' ? NaN : parseInt(digits, radix);
      if (Number.isNaN(value) || !new RegExp(`^[0-${radix === 16 ? '9a-fA-F' : radix - 1}]+$`).test(digits)) {
        throw this.fault('malformed number literal', start);
      }
    } else {
      while (end < src.length && (isDigit(src[end]) || src[end] === '_')) end++;
      if (src[end] === '.') {
        end++;
        while (end < src.length && (isDigit(src[end]) || src[end] === '_')) end++;
      }
      if (src[end] === 'e' || src[end] === 'E') {
        let e = end + 1;
        if (src[e] === '+' || src[e] === '-') e++;
        if (!isDigit(src[e] ?? '')) throw this.fault('malformed number literal', start);
        while (e < src.length && isDigit(src[e])) e++;
        end = e;
      }
      value = Number(src.slice(start, end).replace(/_/g, ''));
    }
    if (src[end] === 'n') throw this.fault('BigInt literals are not supported', start);
    if (end < src.length && isIdentStart(src[end])) throw this.fault('identifier directly after number', end);
    this.pos = end;
    this.tokens.push({ kind: 'num', value: src.slice(start, end), num: value, start, end, newlineBefore: this.takeNewline() });
  }

  private readString(quote: string): string {
    const src = this.src;
    const start = this.pos;
    this.pos++;
    let out = '';
    for (;;) {
      if (this.pos >= src.length) throw this.fault('unterminated string literal', start);
      const c = src[this.pos];
      if (c === quote) {
        this.pos++;
        return out;
      }
      if (c === '\n') throw this.fault('unterminated string literal', start);
      if (c === '\\') {
        out += this.readEscape();
      } else {
        out += c;
        this.pos++;
      }
    }
  }

  /** Reads an escape sequence starting at the backslash and returns its cooked text. */
  private readEscape(): string {
    const src = this.src;
    const at = this.pos;
    const c = src[at + 1] ?? '';
    this.pos += 2;
    if (c in SIMPLE_ESCAPES && !(c === '0' && isDigit(src[at + 2] ?? ''))) return SIMPLE_ESCAPES[c];
    if (c === '\r') {
      if (src[this.pos] === '\n') this.pos++;
      return '';
    }
    if (c === '\n' || c === '\u2028' || c === '\u2029') return '';
    if (c === 'x') return String.fromCharCode(this.readHex(2, at));
    if (c === 'u') {
      if (src[this.pos] === '{') {
        const close = src.indexOf('}', this.pos);
        const hex = close < 0 ? '' : src.slice(this.pos + 1, close);
        if (!/^[0-9a-fA-F]{1,6}$/.test(hex) || parseInt(hex, 16) > 0x10ffff) throw this.fault('malformed unicode escape', at);
        this.pos = close + 1;
        return String.fromCodePoint(parseInt(hex, 16));
      }
      return String.fromCharCode(this.readHex(4, at));
    }
    if (isDigit(c)) throw this.fault('octal escapes are not supported', at);
    if (c === '') throw this.fault('unterminated string literal', at);
    return c;
  }

  private readHex(length: number, at: number): number {
    const hex = this.src.slice(this.pos, this.pos + length);
    if (!new RegExp(`^[0-9a-fA-F]{${length}}$`).test(hex)) throw this.fault('malformed escape sequence', at);
    this.pos += length;
    return parseInt(hex, 16);
  }

  private readTemplate(start: number): void {
    const src = this.src;
    const parts: TemplatePart[] = [];
    let text = '';
    this.pos++;
    for (;;) {
      if (this.pos >= src.length) throw this.fault('unterminated template literal', start);
      const c = src[this.pos];
      if (c === '`') {
        this.pos++;
        parts.push({ text });
        break;
      }
      if (c === '\\') {
        text += this.readEscape();
      } else if (c === '$' && src[this.pos + 1] === '{') {
        const inner = new Tokenizer(src, this.pos + 2).run(true);
        parts.push({ text, tokens: inner.tokens });
        text = '';
        this.pos = inner.end;
      } else {
        text += c === '\r' ? '\n' : c;
        this.pos += c === '\r' && src[this.pos + 1] === '\n' ? 2 : 1;
      }
    }
    this.tokens.push({ kind: 'template', value: '', parts, start, end: this.pos, newlineBefore: this.takeNewline() });
  }

  private push(kind: TokenKind, value: string, start: number, end: number): void {
    this.tokens.push({ kind, value, start, end, newlineBefore: this.takeNewline() });
  }

  private takeNewline(): boolean {
    const nl = this.newline;
    this.newline = false;
    return nl;
  }

  private fault(message: string, offset: number): SandboxFault {
    return new SandboxFault('syntax', message, offset);
  }
}
