import type { BlockNode, DeclarationKind, Expression, ForEachNode, PatternNode, ForNode, ProgramNode, Statement, SwitchNode, TryNode } from './ast';
import { toPropertyKey, toStr, truthy, typeOf } from './coercion';
import { ExpressionInterpreter, locate, type InterpreterLimits } from './expression-interpreter';
import { getMember } from './member-access';
import { limitFault, runtimeFault, SandboxFault, ScriptThrow } from './faults';
import { isScriptObject, NativeFunction, newObject, Scope, ScriptFunction } from './values';

type Signal = { readonly kind: 'break' } | { readonly kind: 'continue' } | { readonly kind: 'return'; readonly value: unknown };

const BREAK: Signal = Object.freeze({ kind: 'break' });
const CONTINUE: Signal = Object.freeze({ kind: 'continue' });

/** Script `try/catch` may catch script throws and TypeError-like faults, never limits or sandbox violations. */
function isCatchable(error: unknown): error is ScriptThrow | SandboxFault {
  return error instanceof ScriptThrow || (error instanceof SandboxFault && error.kind === 'runtime');
}

/** The value a `catch (e)` clause sees. */
function caughtValue(error: ScriptThrow | SandboxFault): unknown {
  if (error instanceof ScriptThrow) return error.value;
  const match = /^(\w*Error): (.*)$/s.exec(error.message);
  const value = newObject();
  value.name = match?.[1] ?? 'Error';
  value.message = match?.[2] ?? error.message;
  return value;
}

/** How a thrown script value reads in an error message. */
function thrownMessage(value: unknown): string {
  if (isScriptObject(value) && typeof value.message === 'string') return value.message;
  return typeof value === 'string' ? value : toStr(value);
}

const closureCache = new WeakMap<object, boolean>();

/** Whether a subtree contains a function, i.e. whether a loop body can capture its variables. */
function createsClosures(node: object): boolean {
  let cached = closureCache.get(node);
  if (cached === undefined) {
    cached = containsFunction(node, 0);
    closureCache.set(node, cached);
  }
  return cached;
}

function containsFunction(value: unknown, depth: number): boolean {
  if (typeof value !== 'object' || value === null || depth > 400) return depth > 400;
  if ((value as { type?: unknown }).type === 'Function') return true;
  for (const child of Object.values(value)) if (containsFunction(child, depth + 1)) return true;
  return false;
}

/**
 * Runs a parsed program: statements, scopes, function calls. One instance per evaluation; it
 * holds the step counter and call depth of that evaluation only.
 */
export class Interpreter extends ExpressionInterpreter {
  private depth = 0;
  /** Completion value of the last expression statement, which is what `eval` returns in JS. */
  private completion: unknown = undefined;

  constructor(limits: InterpreterLimits) {
    super(limits);
  }

  run(program: ProgramNode, bindings: ReadonlyMap<string, unknown>): unknown {
    const bindingScope = new Scope(undefined);
    for (const [name, value] of bindings) bindingScope.declare(name, value);
    const scope = new Scope(bindingScope);
    this.programScope = scope;
    // Like global `var` in JS: re-declaring a bound name (`var $ = $.order`) keeps its value.
    for (const name of program.varNames) if (scope.find(name) === undefined) scope.declare(name, undefined);
    this.hoistFunctions(program.body, scope);
    for (const statement of program.body) {
      const signal = this.exec(statement, scope);
      // A top-level `return` is accepted as a convenience for INLINE scripts.
      if (signal?.kind === 'return') return signal.value;
    }
    return this.completion;
  }

  call(fn: unknown, args: readonly unknown[]): unknown {
    if (fn instanceof NativeFunction) return fn.impl(this, args);
    if (!(fn instanceof ScriptFunction)) throw runtimeFault(`TypeError: ${typeOf(fn)} is not a function`);
    if (this.depth >= this.limits.maxCallDepth) throw limitFault(`expression exceeded the maximum call depth of ${this.limits.maxCallDepth}`);
    this.depth++;
    const savedCompletion = this.completion;
    try {
      const node = fn.node;
      const scope = new Scope(fn.closure);
      for (let i = 0; i < node.params.length; i++) {
        const param = node.params[i];
        let value = param.rest ? args.slice(i) : args[i];
        if (value === undefined && param.defaultValue !== undefined) value = this.evaluate(param.defaultValue, scope);
        if (param.target.type === 'Identifier') scope.declare(param.target.name, value);
        else this.bindPattern(param.target, value, scope, (name, v) => scope.declare(name, v));
      }
      for (const name of node.varNames) if (!scope.vars.has(name)) scope.declare(name, undefined);
      if (node.body.type !== 'Block') return this.evaluate(node.body, scope);
      this.hoistFunctions(node.body.body, scope);
      for (const statement of node.body.body) {
        const signal = this.exec(statement, scope);
        if (signal?.kind === 'return') return signal.value;
      }
      return undefined;
    } finally {
      this.depth--;
      this.completion = savedCompletion;
    }
  }

  private hoistFunctions(statements: readonly Statement[], scope: Scope): void {
    for (const statement of statements) {
      if (statement.type === 'FunctionDeclaration') scope.declare(statement.fn.name, new ScriptFunction(statement.fn, scope));
    }
  }

  private exec(statement: Statement, scope: Scope): Signal | undefined {
    if (++this.steps > this.limits.maxSteps) throw this.overBudget();
    try {
      return this.execInner(statement, scope);
    } catch (error) {
      throw locate(error, statement.start);
    }
  }

  private execInner(statement: Statement, scope: Scope): Signal | undefined {
    switch (statement.type) {
      case 'ExpressionStatement':
        this.completion = this.evaluate(statement.expression, scope);
        return undefined;
      case 'Var':
        for (const declaration of statement.declarations) {
          // `var x;` leaves a hoisted x as it is; `let x;` (re)binds it to undefined.
          if (statement.kind === 'var' && declaration.init === undefined) continue;
          const value = declaration.init === undefined ? undefined : this.evaluate(declaration.init, scope);
          this.declareTarget(statement.kind, declaration.target, value, scope);
        }
        return undefined;
      case 'FunctionDeclaration':
      case 'Empty':
        return undefined;
      case 'Block':
        return this.execBlock(statement, scope);
      case 'If':
        if (this.truthy(statement.test, scope)) return this.exec(statement.consequent, scope);
        return statement.alternate === undefined ? undefined : this.exec(statement.alternate, scope);
      case 'For':
        return this.execFor(statement, scope);
      case 'ForEach':
        return this.execForEach(statement, scope);
      case 'While':
        while (this.truthy(statement.test, scope)) {
          const signal = this.exec(statement.body, scope);
          if (signal === BREAK) break;
          if (signal !== undefined && signal !== CONTINUE) return signal;
        }
        return undefined;
      case 'DoWhile':
        do {
          const signal = this.exec(statement.body, scope);
          if (signal === BREAK) break;
          if (signal !== undefined && signal !== CONTINUE) return signal;
        } while (this.truthy(statement.test, scope));
        return undefined;
      case 'Return':
        return { kind: 'return', value: statement.argument === undefined ? undefined : this.evaluate(statement.argument, scope) };
      case 'Break':
        return BREAK;
      case 'Continue':
        return CONTINUE;
      case 'Throw': {
        const value = this.evaluate(statement.argument, scope);
        throw new ScriptThrow(value, thrownMessage(value), statement.start);
      }
      case 'Try':
        return this.execTry(statement, scope);
      case 'Switch':
        return this.execSwitch(statement, scope);
    }
  }

  /** Binds a declaration, parameter or loop target; `bind` stores each name it introduces. */
  private bindPattern(pattern: PatternNode, value: unknown, scope: Scope, bind: (name: string, value: unknown, start: number) => void): void {
    if (pattern.type === 'Identifier') {
      bind(pattern.name, value, pattern.start);
    } else if (pattern.type === 'ArrayPattern') {
      const items = this.iterate(value, pattern.start);
      pattern.elements.forEach((element, i) => {
        if (element === undefined) return;
        const item = items[i] === undefined && element.defaultValue !== undefined ? this.evaluate(element.defaultValue, scope) : items[i];
        this.bindPattern(element.target, item, scope, bind);
      });
      if (pattern.rest !== undefined) this.bindPattern(pattern.rest, items.slice(pattern.elements.length), scope, bind);
    } else {
      if (value === null || value === undefined) throw locate(runtimeFault(`TypeError: Cannot destructure '${toStr(value)}'`), pattern.start);
      const used = new Set<string>();
      for (const property of pattern.properties) {
        const key = typeof property.key === 'string' ? property.key : toPropertyKey(this.evaluate(property.key, scope));
        used.add(key);
        let item: unknown;
        try {
          item = getMember(value, key);
        } catch (error) {
          throw locate(error, pattern.start);
        }
        if (item === undefined && property.defaultValue !== undefined) item = this.evaluate(property.defaultValue, scope);
        this.bindPattern(property.target, item, scope, bind);
      }
      if (pattern.rest !== undefined) {
        const rest = newObject();
        if (isScriptObject(value)) for (const key of Object.keys(value)) if (!used.has(key)) rest[key] = value[key];
        bind(pattern.rest.name, rest, pattern.rest.start);
      }
    }
  }

  /** Binds a declared target: `var` assigns the hoisted variable, `let`/`const` declare in `scope`. */
  private declareTarget(kind: DeclarationKind | undefined, target: PatternNode, value: unknown, scope: Scope): void {
    const constant = kind === 'const';
    if (kind === 'let' || kind === 'const') {
      if (target.type === 'Identifier') scope.declare(target.name, value, constant);
      else this.bindPattern(target, value, scope, (name, v) => scope.declare(name, v, constant));
    } else if (target.type === 'Identifier') {
      this.assignVariable(scope, target.name, value, target.start);
    } else {
      this.bindPattern(target, value, scope, (name, v, start) => this.assignVariable(scope, name, v, start));
    }
  }

  private truthy(test: Expression, scope: Scope): boolean {
    return truthy(this.evaluate(test, scope));
  }

  private execBlock(block: BlockNode, scope: Scope): Signal | undefined {
    let inner = scope;
    if (block.scoped) {
      inner = new Scope(scope);
      this.hoistFunctions(block.body, inner);
    }
    for (const statement of block.body) {
      const signal = this.exec(statement, inner);
      if (signal !== undefined) return signal;
    }
    return undefined;
  }

  private execFor(statement: ForNode, scope: Scope): Signal | undefined {
    const init = statement.init;
    // `for (let i …)` gets a fresh binding per iteration, so closures capture that iteration's value.
    const perIteration = init !== undefined && init.type === 'Var' && init.kind !== 'var' && createsClosures(statement);
    let loopScope = perIteration ? new Scope(scope) : scope;
    if (init !== undefined) {
      if (init.type === 'Var') this.exec(init, loopScope);
      else this.evaluate(init, loopScope);
    }
    for (;;) {
      if (statement.test !== undefined && !this.truthy(statement.test, loopScope)) break;
      const signal = this.exec(statement.body, loopScope);
      if (signal === BREAK) break;
      if (signal !== undefined && signal !== CONTINUE) return signal;
      if (perIteration) {
        const next = new Scope(scope);
        for (const [name, value] of loopScope.vars) next.declare(name, value, loopScope.consts?.has(name) === true);
        loopScope = next;
      }
      if (statement.update !== undefined) this.evaluate(statement.update, loopScope);
    }
    return undefined;
  }

  private execForEach(statement: ForEachNode, scope: Scope): Signal | undefined {
    const source = this.evaluate(statement.iterable, scope);
    const items = statement.each === 'of' ? this.iterate(source, statement.iterable.start) : this.keysOf(source);
    for (let i = 0; i < items.length; i++) {
      const perIteration = statement.kind === 'let' || statement.kind === 'const';
      const iterationScope = perIteration ? new Scope(scope) : scope;
      this.declareTarget(statement.kind, statement.target, items[i], iterationScope);
      const signal = this.exec(statement.body, iterationScope);
      if (signal === BREAK) break;
      if (signal !== undefined && signal !== CONTINUE) return signal;
    }
    return undefined;
  }

  /** Keys visited by `for…in`: own keys of objects, indexes of arrays and strings. */
  private keysOf(value: unknown): string[] {
    if (Array.isArray(value) || typeof value === 'string') return Array.from({ length: value.length }, (_, i) => String(i));
    if (isScriptObject(value)) return Object.keys(value);
    return [];
  }

  private execTry(statement: TryNode, scope: Scope): Signal | undefined {
    let signal: Signal | undefined;
    let failure: { error: unknown } | undefined;
    try {
      signal = this.execBlock(statement.block, scope);
    } catch (error) {
      failure = { error };
      if (statement.handler !== undefined && isCatchable(error)) {
        failure = undefined;
        const catchScope = new Scope(scope);
        if (statement.param !== undefined) catchScope.declare(statement.param, caughtValue(error));
        try {
          signal = this.execBlock(statement.handler, catchScope);
        } catch (inner) {
          failure = { error: inner };
        }
      }
    }
    // A blown budget or a sandbox violation must not be able to run more script code.
    if (statement.finalizer !== undefined && (failure === undefined || isCatchable(failure.error))) {
      const finalSignal = this.execBlock(statement.finalizer, scope);
      if (finalSignal !== undefined) return finalSignal;
    }
    if (failure !== undefined) throw failure.error;
    return signal;
  }

  private execSwitch(statement: SwitchNode, scope: Scope): Signal | undefined {
    const value = this.evaluate(statement.discriminant, scope);
    const inner = new Scope(scope);
    for (const c of statement.cases) this.hoistFunctions(c.body, inner);
    let start = statement.cases.findIndex((c) => c.test !== undefined && this.evaluate(c.test, inner) === value);
    if (start < 0) start = statement.cases.findIndex((c) => c.test === undefined);
    if (start < 0) return undefined;
    for (let i = start; i < statement.cases.length; i++) {
      for (const s of statement.cases[i].body) {
        const signal = this.exec(s, inner);
        if (signal === BREAK) return undefined;
        if (signal !== undefined) return signal;
      }
    }
    return undefined;
  }
}
