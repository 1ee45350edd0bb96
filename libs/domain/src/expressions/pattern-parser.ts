import type { ArrayPatternNode, Expression, IdentifierNode, ObjectPatternNode, PatternElement, PatternNode } from './ast';
import { SandboxFault } from './faults';
import { isForbiddenIdentifier, isForbiddenProperty, RESERVED_WORDS, unsupportedKeywordReason } from './sandbox-rules';
import { TokenCursor } from './token-cursor';
import type { Token } from './tokenizer';

/**
 * Names and destructuring patterns (`const { a, b: [c] } = …`, `([k, v]) => …`): the binding
 * side of the grammar, including the checks that keep host names out of scripts.
 */
export abstract class PatternParser extends TokenCursor {
  abstract parseExpression(noIn?: boolean): Expression;
  protected abstract parseAssignment(noIn?: boolean): Expression;

  /** Validates a name used as a variable, parameter or reference. */
  protected checkBindingName(t: Token, reference = false): string {
    if (t.kind !== 'name') throw this.fault(`expected a name but found '${t.value}'`, t);
    const unsupported = unsupportedKeywordReason(t.value);
    if (unsupported !== undefined) throw new SandboxFault(t.value === 'this' || t.value === 'new' || t.value === 'import' ? 'forbidden' : 'syntax', unsupported, t.start);
    if (isForbiddenIdentifier(t.value)) throw new SandboxFault('forbidden', `'${t.value}' is not available in expressions`, t.start);
    if (RESERVED_WORDS.has(t.value) || (!reference && t.value === 'undefined')) throw this.fault(`unexpected keyword '${t.value}'`, t);
    return t.value;
  }

  /** Parses `expr]` after `[`; a literal forbidden key is rejected now rather than at run time. */
  protected parseComputedKey(): Expression {
    const key = this.parseExpression();
    this.expect(']');
    if (key.type === 'Literal' && typeof key.value === 'string' && isForbiddenProperty(key.value)) {
      throw new SandboxFault('forbidden', `access to '${key.value}' is not allowed`, key.start);
    }
    return key;
  }

  protected identifier(t: Token): IdentifierNode {
    return { type: 'Identifier', start: t.start, name: this.checkBindingName(t) };
  }

  /** A binding target: a name, or an array/object destructuring pattern. */
  protected parsePattern(): PatternNode {
    const t = this.next();
    if (t.kind === 'punc' && t.value === '[') return this.parseArrayPattern(t);
    if (t.kind === 'punc' && t.value === '{') return this.parseObjectPattern(t);
    return this.identifier(t);
  }

  /** Names a pattern binds, for `var` hoisting. */
  protected patternNames(pattern: PatternNode, out: string[] = []): string[] {
    if (pattern.type === 'Identifier') out.push(pattern.name);
    else if (pattern.type === 'ArrayPattern') {
      for (const element of pattern.elements) if (element !== undefined) this.patternNames(element.target, out);
      if (pattern.rest !== undefined) this.patternNames(pattern.rest, out);
    } else {
      for (const property of pattern.properties) this.patternNames(property.target, out);
      if (pattern.rest !== undefined) out.push(pattern.rest.name);
    }
    return out;
  }

  private parseArrayPattern(open: Token): ArrayPatternNode {
    const elements: (PatternElement | undefined)[] = [];
    let rest: PatternNode | undefined;
    while (!this.eat(']')) {
      if (this.eat(',')) {
        elements.push(undefined);
        continue;
      }
      if (this.eat('...')) {
        rest = this.parsePattern();
        this.expect(']');
        break;
      }
      const target = this.parsePattern();
      elements.push({ target, defaultValue: this.eat('=') ? this.parseAssignment() : undefined });
      if (!this.is(']')) this.expect(',');
    }
    return { type: 'ArrayPattern', start: open.start, elements, rest };
  }

  private parseObjectPattern(open: Token): ObjectPatternNode {
    const properties: ObjectPatternNode['properties'][number][] = [];
    let rest: IdentifierNode | undefined;
    while (!this.eat('}')) {
      if (this.eat('...')) {
        rest = this.identifier(this.next());
        this.expect('}');
        break;
      }
      const t = this.next();
      let key: string | Expression;
      if (t.kind === 'punc' && t.value === '[') key = this.parseComputedKey();
      else if (t.kind === 'name' || t.kind === 'str') key = t.value;
      else if (t.kind === 'num') key = String(t.num);
      else throw this.fault(`unexpected token '${t.value}' in destructuring pattern`, t);
      if (typeof key === 'string' && isForbiddenProperty(key)) throw new SandboxFault('forbidden', `access to '${key}' is not allowed`, t.start);
      const target: PatternNode = this.eat(':') ? this.parsePattern() : this.identifier(t);
      properties.push({ key, target, defaultValue: this.eat('=') ? this.parseAssignment() : undefined });
      if (!this.is('}')) this.expect(',');
    }
    return { type: 'ObjectPattern', start: open.start, properties, rest };
  }
}
