import { SandboxFault } from './faults';
import type { Token } from './tokenizer';

/** Deep nesting would overflow the host stack while parsing or evaluating; refuse it early. */
export const MAX_NESTING = 200;

/** Position in a token list, with the small helpers every parser layer uses. */
export abstract class TokenCursor {
  protected pos = 0;
  private nesting = 0;

  constructor(protected tokens: readonly Token[]) {}

  protected enter(): void {
    if (++this.nesting > MAX_NESTING) throw new SandboxFault('limit', `expression nesting deeper than ${MAX_NESTING}`, this.peek().start);
  }

  protected leave(): void {
    this.nesting--;
  }

  protected peek(offset = 0): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)];
  }

  protected next(): Token {
    const t = this.peek();
    if (this.pos < this.tokens.length - 1) this.pos++;
    return t;
  }

  /** True when the next token is the punctuator or keyword `value` (never a string literal). */
  protected is(value: string): boolean {
    const t = this.peek();
    return t.value === value && (t.kind === 'punc' || t.kind === 'name');
  }

  protected eat(value: string): boolean {
    if (!this.is(value)) return false;
    this.next();
    return true;
  }

  protected expect(value: string): Token {
    if (!this.is(value)) {
      const t = this.peek();
      throw this.fault(t.kind === 'eof' ? `expected '${value}' but the expression ended` : `expected '${value}' but found '${t.value}'`, t);
    }
    return this.next();
  }

  protected fault(message: string, t: Token): SandboxFault {
    return new SandboxFault('syntax', message, t.start);
  }
}
