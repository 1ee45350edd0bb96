import type { BlockNode, DeclarationKind, PatternNode, ProgramNode, Statement, SwitchCaseNode, VarNode } from './ast';
import { ExpressionParser } from './expression-parser';
import type { Token } from './tokenizer';

/** Statement grammar on top of {@link ExpressionParser}: the body of scripts and functions. */
export class StatementParser extends ExpressionParser {
  private loopDepth = 0;
  private switchDepth = 0;

  constructor(tokens: readonly Token[]) {
    super(tokens);
  }

  parseProgram(): ProgramNode {
    const body: Statement[] = [];
    while (this.peek().kind !== 'eof') body.push(this.parseStatement());
    return { type: 'Program', start: 0, body, varNames: [...this.varScopes[0]] };
  }

  protected parseFunctionBody(): BlockNode {
    // `break` inside a function never refers to a loop around the function.
    const [loops, switches] = [this.loopDepth, this.switchDepth];
    this.loopDepth = 0;
    this.switchDepth = 0;
    const body = this.parseBlock();
    this.loopDepth = loops;
    this.switchDepth = switches;
    return body;
  }

  private parseStatement(): Statement {
    this.enter();
    try {
      return this.parseStatementInner();
    } finally {
      this.leave();
    }
  }

  private parseStatementInner(): Statement {
    const t = this.peek();
    if (t.kind === 'punc') {
      if (t.value === '{') return this.parseBlock();
      if (t.value === ';') {
        this.next();
        return { type: 'Empty', start: t.start };
      }
    }
    if (t.kind === 'name') {
      switch (t.value) {
        case 'var':
        case 'let':
        case 'const': {
          this.next();
          const node = this.parseDeclarations(t.value, t, false);
          this.consumeSemicolon();
          return node;
        }
        case 'function': {
          this.next();
          const fn = this.parseFunction(t, true);
          return { type: 'FunctionDeclaration', start: t.start, fn: { ...fn, name: fn.name ?? '' } };
        }
        case 'if':
          return this.parseIf(t);
        case 'for':
          return this.parseFor(t);
        case 'while': {
          this.next();
          const test = this.parseParenthesized();
          return { type: 'While', start: t.start, test, body: this.parseLoopBody() };
        }
        case 'do': {
          this.next();
          const body = this.parseLoopBody();
          this.expect('while');
          const test = this.parseParenthesized();
          this.eat(';');
          return { type: 'DoWhile', start: t.start, test, body };
        }
        case 'return': {
          this.next();
          const argument = this.atStatementEnd() ? undefined : this.parseExpression();
          this.consumeSemicolon();
          return { type: 'Return', start: t.start, argument };
        }
        case 'break':
        case 'continue':
          return this.parseJump(t);
        case 'throw': {
          this.next();
          const argument = this.parseExpression();
          this.consumeSemicolon();
          return { type: 'Throw', start: t.start, argument };
        }
        case 'try':
          return this.parseTry(t);
        case 'switch':
          return this.parseSwitch(t);
      }
    }
    const expression = this.parseExpression();
    this.consumeSemicolon();
    return { type: 'ExpressionStatement', start: t.start, expression };
  }

  private parseBlock(): BlockNode {
    const open = this.expect('{');
    const body: Statement[] = [];
    while (!this.is('}')) {
      if (this.peek().kind === 'eof') throw this.fault("expected '}' but the expression ended", this.peek());
      body.push(this.parseStatement());
    }
    this.next();
    const scoped = body.some((s) => (s.type === 'Var' && s.kind !== 'var') || s.type === 'FunctionDeclaration');
    return { type: 'Block', start: open.start, body, scoped };
  }

  private parseDeclarations(kind: DeclarationKind, keyword: Token, noIn: boolean): VarNode {
    const declarations: VarNode['declarations'][number][] = [];
    do {
      const t = this.peek();
      const target = this.parsePattern();
      const init = this.eat('=') ? this.parseAssignment(noIn) : undefined;
      if (init === undefined && (kind === 'const' || target.type !== 'Identifier')) throw this.fault('missing initializer in declaration', t);
      this.hoist(kind, target);
      declarations.push({ target, init, start: t.start });
    } while (this.eat(','));
    return { type: 'Var', start: keyword.start, kind, declarations };
  }

  private parseIf(t: Token): Statement {
    this.next();
    const test = this.parseParenthesized();
    const consequent = this.parseStatement();
    const alternate = this.eat('else') ? this.parseStatement() : undefined;
    return { type: 'If', start: t.start, test, consequent, alternate };
  }

  private parseFor(t: Token): Statement {
    this.next();
    this.expect('(');
    const first = this.peek();
    let kind: DeclarationKind | undefined;
    if (first.kind === 'name' && (first.value === 'var' || first.value === 'let' || first.value === 'const')) {
      kind = first.value;
      this.next();
    }
    const each = this.forEachAhead(kind !== undefined);
    if (each !== undefined) {
      const target = kind === undefined ? this.identifier(this.next()) : this.parsePattern();
      this.next();
      this.hoist(kind, target);
      const iterable = this.parseExpression();
      this.expect(')');
      return { type: 'ForEach', start: t.start, each, kind, target, iterable, body: this.parseLoopBody() };
    }
    let init: VarNode | ReturnType<ExpressionParser['parseExpression']> | undefined;
    if (kind !== undefined) init = this.parseDeclarations(kind, first, true);
    else if (!this.is(';')) init = this.parseExpression(true);
    this.expect(';');
    const test = this.is(';') ? undefined : this.parseExpression();
    this.expect(';');
    const update = this.is(')') ? undefined : this.parseExpression();
    this.expect(')');
    return { type: 'For', start: t.start, init, test, update, body: this.parseLoopBody() };
  }

  /** After `for (` (and a declaration keyword): is this a for-of/for-in? Returns which. */
  private forEachAhead(declared: boolean): 'of' | 'in' | undefined {
    let i = 0;
    const first = this.peek();
    if (declared && first.kind === 'punc' && (first.value === '[' || first.value === '{')) {
      let depth = 0;
      do {
        const t = this.peek(i++);
        if (t.kind === 'eof') return undefined;
        if (t.kind === 'punc' && (t.value === '[' || t.value === '{' || t.value === '(')) depth++;
        if (t.kind === 'punc' && (t.value === ']' || t.value === '}' || t.value === ')')) depth--;
      } while (depth > 0);
    } else if (first.kind === 'name') {
      i = 1;
    } else {
      return undefined;
    }
    const each = this.peek(i);
    return each.kind === 'name' && (each.value === 'of' || each.value === 'in') ? each.value : undefined;
  }

  private hoist(kind: DeclarationKind | undefined, target: PatternNode): void {
    if (kind === 'var') for (const name of this.patternNames(target)) this.varScopes[this.varScopes.length - 1].add(name);
  }

  private parseLoopBody(): Statement {
    this.loopDepth++;
    const body = this.parseStatement();
    this.loopDepth--;
    return body;
  }

  private parseJump(t: Token): Statement {
    this.next();
    const isBreak = t.value === 'break';
    if (this.peek().kind === 'name' && !this.peek().newlineBefore && !this.atStatementEnd()) throw this.fault('labels are not supported', this.peek());
    if (this.loopDepth === 0 && (!isBreak || this.switchDepth === 0)) throw this.fault(`'${t.value}' outside of a loop`, t);
    this.consumeSemicolon();
    return { type: isBreak ? 'Break' : 'Continue', start: t.start };
  }

  private parseTry(t: Token): Statement {
    this.next();
    const block = this.parseBlock();
    let param: string | undefined;
    let handler: BlockNode | undefined;
    let finalizer: BlockNode | undefined;
    if (this.eat('catch')) {
      if (this.eat('(')) {
        param = this.checkBindingName(this.next());
        this.expect(')');
      }
      handler = this.parseBlock();
    }
    if (this.eat('finally')) finalizer = this.parseBlock();
    if (handler === undefined && finalizer === undefined) throw this.fault("'try' needs 'catch' or 'finally'", this.peek());
    return { type: 'Try', start: t.start, block, param, handler, finalizer };
  }

  private parseSwitch(t: Token): Statement {
    this.next();
    const discriminant = this.parseParenthesized();
    this.expect('{');
    const cases: SwitchCaseNode[] = [];
    let seenDefault = false;
    this.switchDepth++;
    while (!this.eat('}')) {
      const label = this.next();
      let test;
      if (label.kind === 'name' && label.value === 'case') {
        test = this.parseExpression();
      } else if (label.kind === 'name' && label.value === 'default') {
        if (seenDefault) throw this.fault("more than one 'default' in switch", label);
        seenDefault = true;
      } else {
        throw this.fault(`expected 'case' or 'default' but found '${label.value}'`, label);
      }
      this.expect(':');
      const body: Statement[] = [];
      while (!this.is('case') && !this.is('default') && !this.is('}')) {
        if (this.peek().kind === 'eof') throw this.fault("expected '}' but the expression ended", this.peek());
        body.push(this.parseStatement());
      }
      cases.push({ test, body });
    }
    this.switchDepth--;
    return { type: 'Switch', start: t.start, discriminant, cases };
  }

  private parseParenthesized() {
    this.expect('(');
    const expr = this.parseExpression();
    this.expect(')');
    return expr;
  }

  private atStatementEnd(): boolean {
    const t = this.peek();
    return t.kind === 'eof' || t.newlineBefore || (t.kind === 'punc' && (t.value === ';' || t.value === '}'));
  }

  /** Automatic semicolon insertion: `;`, a line break, `}` or the end all close a statement. */
  private consumeSemicolon(): void {
    if (this.eat(';')) return;
    if (this.atStatementEnd()) return;
    const t = this.peek();
    throw this.fault(`expected ';' but found '${t.value}'`, t);
  }
}
