import type { AssignmentOperator, BinaryOperator, BlockNode, Expression, FunctionNode, ObjectNode, ParameterNode, PropertyNode, SpreadNode } from './ast';
import { SandboxFault } from './faults';
import { isForbiddenProperty } from './sandbox-rules';
import { PatternParser } from './pattern-parser';
import type { Token } from './tokenizer';

const BINARY_PRECEDENCE: Readonly<Record<string, number>> = {
  '??': 1, '||': 1, '&&': 2, '|': 3, '^': 4, '&': 5,
  '==': 6, '!=': 6, '===': 6, '!==': 6,
  '<': 7, '>': 7, '<=': 7, '>=': 7, in: 7,
  '<<': 8, '>>': 8, '>>>': 8, '+': 9, '-': 9, '*': 10, '/': 10, '%': 10, '**': 11,
};

const ASSIGNMENT_OPERATORS: ReadonlySet<string> = new Set([
  '=', '+=', '-=', '*=', '/=', '%=', '**=', '<<=', '>>=', '>>>=', '&=', '|=', '^=', '&&=', '||=', '??=',
]);

/**
 * Recursive-descent (Pratt for binary operators) parser of the expression grammar. Statements
 * live in the subclass; function bodies are delegated to it through {@link parseFunctionBody}.
 */
export abstract class ExpressionParser extends PatternParser {
  /** One set per enclosing function (or the program): where `var` names are hoisted to. */
  protected readonly varScopes: Set<string>[] = [new Set()];

  protected abstract parseFunctionBody(): BlockNode;

  parseExpression(noIn = false): Expression {
    const first = this.parseAssignment(noIn);
    if (!this.is(',')) return first;
    const expressions = [first];
    while (this.eat(',')) expressions.push(this.parseAssignment(noIn));
    return { type: 'Sequence', start: first.start, expressions };
  }

  protected parseAssignment(noIn = false): Expression {
    this.enter();
    try {
      const t = this.peek();
      if (t.kind === 'name' && this.peek(1).value === '=>' && this.peek(1).kind === 'punc') return this.parseArrow();
      if (this.is('(') && this.isArrowAhead()) return this.parseArrow();
      const left = this.parseConditional(noIn);
      const op = this.peek();
      if (op.kind !== 'punc' || !ASSIGNMENT_OPERATORS.has(op.value)) return left;
      if (left.type !== 'Identifier' && left.type !== 'Member') throw this.fault('invalid assignment target', op);
      this.next();
      const value = this.parseAssignment(noIn);
      return { type: 'Assignment', start: left.start, operator: op.value as AssignmentOperator, target: left, value };
    } finally {
      this.leave();
    }
  }

  private parseConditional(noIn: boolean): Expression {
    const test = this.parseBinary(0, noIn);
    if (!this.eat('?')) return test;
    const consequent = this.parseAssignment(false);
    this.expect(':');
    const alternate = this.parseAssignment(noIn);
    return { type: 'Conditional', start: test.start, test, consequent, alternate };
  }

  private parseBinary(minPrecedence: number, noIn: boolean): Expression {
    let left = this.parseUnary();
    for (;;) {
      const t = this.peek();
      const isOperator = t.kind === 'punc' || (t.kind === 'name' && t.value === 'in' && !noIn);
      if (!isOperator) break;
      const precedence = BINARY_PRECEDENCE[t.value];
      if (precedence === undefined || precedence <= minPrecedence) break;
      this.next();
      // `**` is right-associative; everything else binds to the left.
      const right = this.parseBinary(t.value === '**' ? precedence - 1 : precedence, noIn);
      left =
        t.value === '&&' || t.value === '||' || t.value === '??'
          ? { type: 'Logical', start: left.start, operator: t.value, left, right }
          : { type: 'Binary', start: left.start, operator: t.value as BinaryOperator, left, right };
    }
    const after = this.peek();
    if (after.kind === 'name' && after.value === 'instanceof') throw this.fault("'instanceof' is not supported", after);
    return left;
  }

  private parseUnary(): Expression {
    const t = this.peek();
    const isUnary =
      (t.kind === 'punc' && (t.value === '!' || t.value === '-' || t.value === '+' || t.value === '~')) ||
      (t.kind === 'name' && (t.value === 'typeof' || t.value === 'void' || t.value === 'delete'));
    if (isUnary) {
      this.next();
      this.enter();
      const argument = this.parseUnary();
      this.leave();
      if (t.value === 'delete' && argument.type !== 'Member') throw this.fault("'delete' needs a property", t);
      return { type: 'Unary', start: t.start, operator: t.value as '!', argument };
    }
    if (t.kind === 'punc' && (t.value === '++' || t.value === '--')) {
      this.next();
      const argument = this.parseUnary();
      if (argument.type !== 'Identifier' && argument.type !== 'Member') throw this.fault('invalid update target', t);
      return { type: 'Update', start: t.start, operator: t.value, prefix: true, argument };
    }
    const expr = this.parseCallOrMember();
    const post = this.peek();
    if (post.kind === 'punc' && (post.value === '++' || post.value === '--') && !post.newlineBefore) {
      if (expr.type !== 'Identifier' && expr.type !== 'Member') throw this.fault('invalid update target', post);
      this.next();
      return { type: 'Update', start: expr.start, operator: post.value, prefix: false, argument: expr };
    }
    return expr;
  }

  private parseCallOrMember(): Expression {
    let expr = this.parsePrimary();
    let chained = false;
    for (;;) {
      const t = this.peek();
      if (t.kind === 'template') throw this.fault('tagged templates are not supported', t);
      if (t.kind !== 'punc') break;
      if (t.value === '.') {
        this.next();
        expr = { type: 'Member', start: expr.start, object: expr, property: this.propertyName(), optional: false };
      } else if (t.value === '?.') {
        this.next();
        chained = true;
        if (this.is('(')) {
          expr = { type: 'Call', start: expr.start, callee: expr, args: this.parseArguments(), optional: true };
        } else if (this.eat('[')) {
          expr = { type: 'Member', start: expr.start, object: expr, property: this.parseComputedKey(), optional: true };
        } else {
          expr = { type: 'Member', start: expr.start, object: expr, property: this.propertyName(), optional: true };
        }
      } else if (t.value === '[') {
        this.next();
        expr = { type: 'Member', start: expr.start, object: expr, property: this.parseComputedKey(), optional: false };
      } else if (t.value === '(') {
        expr = { type: 'Call', start: expr.start, callee: expr, args: this.parseArguments(), optional: false };
      } else {
        break;
      }
    }
    return chained ? { type: 'Chain', start: expr.start, expression: expr } : expr;
  }

  private propertyName(): string {
    const t = this.next();
    if (t.kind !== 'name') throw this.fault('expected a property name', t);
    if (isForbiddenProperty(t.value)) throw new SandboxFault('forbidden', `access to '${t.value}' is not allowed`, t.start);
    return t.value;
  }

  private parseArguments(): (Expression | SpreadNode)[] {
    this.expect('(');
    const args: (Expression | SpreadNode)[] = [];
    while (!this.is(')')) {
      args.push(this.parseElement());
      if (!this.is(')')) this.expect(',');
    }
    this.next();
    return args;
  }

  private parseElement(): Expression | SpreadNode {
    const t = this.peek();
    if (this.eat('...')) return { type: 'Spread', start: t.start, argument: this.parseAssignment() };
    return this.parseAssignment();
  }

  private parsePrimary(): Expression {
    const t = this.next();
    switch (t.kind) {
      case 'num':
        return { type: 'Literal', start: t.start, value: t.num ?? NaN };
      case 'str':
        return { type: 'Literal', start: t.start, value: t.value };
      case 'template':
        return this.parseTemplate(t);
      case 'name':
        return this.parseNamePrimary(t);
      case 'punc':
        if (t.value === '(') {
          const inner = this.parseExpression();
          this.expect(')');
          return inner;
        }
        if (t.value === '[') return this.parseArrayLiteral(t);
        if (t.value === '{') return this.parseObjectLiteral(t);
        break;
      case 'eof':
        throw this.fault('unexpected end of expression', t);
    }
    throw this.fault(`unexpected token '${t.value}'`, t);
  }

  private parseNamePrimary(t: Token): Expression {
    switch (t.value) {
      case 'true':
        return { type: 'Literal', start: t.start, value: true };
      case 'false':
        return { type: 'Literal', start: t.start, value: false };
      case 'null':
        return { type: 'Literal', start: t.start, value: null };
      case 'undefined':
        return { type: 'Literal', start: t.start, value: undefined };
      case 'function':
        return this.parseFunction(t, false);
    }
    return { type: 'Identifier', start: t.start, name: this.checkBindingName(t, true) };
  }

  private parseTemplate(t: Token): Expression {
    const parts = t.parts ?? [];
    const quasis = parts.map((p) => p.text);
    const expressions: Expression[] = [];
    const [savedTokens, savedPos] = [this.tokens, this.pos];
    for (const part of parts) {
      if (part.tokens === undefined) continue;
      this.tokens = part.tokens;
      this.pos = 0;
      if (this.peek().kind === 'eof') throw this.fault('empty template expression', t);
      expressions.push(this.parseExpression());
      if (this.peek().kind !== 'eof') throw this.fault(`unexpected token '${this.peek().value}' in template`, this.peek());
    }
    this.tokens = savedTokens;
    this.pos = savedPos;
    return { type: 'Template', start: t.start, quasis, expressions };
  }

  private parseArrayLiteral(open: Token): Expression {
    const elements: (Expression | SpreadNode)[] = [];
    while (!this.is(']')) {
      if (this.is(',')) throw this.fault('array holes are not supported', this.peek());
      elements.push(this.parseElement());
      if (!this.is(']')) this.expect(',');
    }
    this.next();
    return { type: 'Array', start: open.start, elements };
  }

  private parseObjectLiteral(open: Token): ObjectNode {
    const properties: (PropertyNode | SpreadNode)[] = [];
    while (!this.eat('}')) {
      const t = this.next();
      if (t.kind === 'punc' && t.value === '...') {
        properties.push({ type: 'Spread', start: t.start, argument: this.parseAssignment() });
      } else {
        properties.push(this.parseProperty(t));
      }
      if (!this.is('}')) this.expect(',');
    }
    return { type: 'Object', start: open.start, properties };
  }

  private parseProperty(t: Token): PropertyNode {
    let key: string | Expression;
    if (t.kind === 'punc' && t.value === '[') {
      key = this.parseComputedKey();
    } else if (t.kind === 'name' || t.kind === 'str') {
      key = t.value;
    } else if (t.kind === 'num') {
      key = String(t.num);
    } else {
      throw this.fault(`unexpected token '${t.value}' in object literal`, t);
    }
    if (typeof key === 'string' && isForbiddenProperty(key)) throw new SandboxFault('forbidden', `property name '${key}' is not allowed`, t.start);
    if (t.kind === 'name' && (t.value === 'get' || t.value === 'set') && !this.is(',') && !this.is(':') && !this.is('(') && !this.is('}')) {
      throw this.fault('getters and setters are not supported', t);
    }
    if (this.eat(':')) return { type: 'Property', start: t.start, key, value: this.parseAssignment() };
    if (this.is('(')) return { type: 'Property', start: t.start, key, value: this.parseFunctionRest(t, typeof key === 'string' ? key : undefined) };
    if (t.kind !== 'name') throw this.fault("expected ':' after property key", this.peek());
    return { type: 'Property', start: t.start, key, value: { type: 'Identifier', start: t.start, name: this.checkBindingName(t, true) } };
  }

  /** `function name?(params) { body }` after the `function` keyword. */
  protected parseFunction(keyword: Token, requireName: boolean): FunctionNode {
    let name: string | undefined;
    if (this.peek().kind === 'name') name = this.checkBindingName(this.next());
    else if (requireName) throw this.fault('function declarations need a name', this.peek());
    return this.parseFunctionRest(keyword, name);
  }

  private parseFunctionRest(start: Token, name: string | undefined): FunctionNode {
    const params = this.parseParameters();
    this.varScopes.push(new Set());
    const body = this.parseFunctionBody();
    const varNames = [...(this.varScopes.pop() ?? [])];
    return { type: 'Function', start: start.start, name, params, arrow: false, body, varNames };
  }

  private parseArrow(): FunctionNode {
    const start = this.peek();
    const params: ParameterNode[] = this.is('(') ? this.parseParameters() : [{ target: this.identifier(this.next()), rest: false }];
    this.expect('=>');
    this.varScopes.push(new Set());
    const body = this.is('{') ? this.parseFunctionBody() : this.parseAssignment();
    const varNames = [...(this.varScopes.pop() ?? [])];
    return { type: 'Function', start: start.start, name: undefined, params, arrow: true, body, varNames };
  }

  private parseParameters(): ParameterNode[] {
    this.expect('(');
    const params: ParameterNode[] = [];
    while (!this.eat(')')) {
      const rest = this.eat('...');
      const target = this.parsePattern();
      const defaultValue = !rest && this.eat('=') ? this.parseAssignment() : undefined;
      params.push({ target, defaultValue, rest });
      if (rest && !this.is(')')) throw this.fault('a rest parameter must be last', this.peek());
      if (!this.is(')')) this.expect(',');
    }
    return params;
  }

  /** At `(`: is this the parameter list of an arrow function? */
  private isArrowAhead(): boolean {
    let depth = 0;
    for (let i = this.pos; i < this.tokens.length; i++) {
      const t = this.tokens[i];
      if (t.kind === 'eof') return false;
      if (t.kind !== 'punc') continue;
      if (t.value === '(' || t.value === '[' || t.value === '{') depth++;
      else if (t.value === ')' || t.value === ']' || t.value === '}') {
        depth--;
        if (depth === 0) {
          const after = this.tokens[i + 1];
          return after !== undefined && after.kind === 'punc' && after.value === '=>';
        }
      }
    }
    return false;
  }
}
