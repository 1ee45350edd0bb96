import type {
  ArrayNode, AssignmentNode, BinaryNode, BinaryOperator, CallNode, Expression, MemberNode, ObjectNode, SpreadNode, TemplateNode, UnaryNode, UpdateNode,
} from './ast';
import { toNumber, toPropertyKey, toStr, truthy, typeOf } from './coercion';
import { forbiddenFault, limitFault, runtimeFault, SandboxFault, ScriptThrow } from './faults';
import { callMethod, deleteMember, getMember, setMember } from './member-access';
import { applyBinary } from './operators';
import { isForbiddenProperty } from './sandbox-rules';
import { globalValue } from './standard-library';
import { hasOwn, isCallable, isScriptObject, newObject, Scope, ScriptFunction, type Runtime } from './values';

/** Resource limits of one evaluation. */
export interface InterpreterLimits {
  readonly maxSteps: number;
  readonly maxCallDepth: number;
  readonly maxStringLength: number;
  readonly maxArrayLength: number;
}

interface Reference {
  readonly target: AssignmentNode['target'];
  readonly scope: Scope;
  /** For a variable: the scope declaring it (undefined for globals and undeclared names). */
  readonly owner: Scope | undefined;
  readonly object: unknown;
  readonly key: unknown;
}

/** Marks a short-circuited optional chain; never escapes the enclosing Chain node. */
const SHORT = Symbol('short-circuit');

/** Attaches the source offset of `start` to a fault that does not have one yet. */
export function locate(error: unknown, start: number): unknown {
  if ((error instanceof SandboxFault || error instanceof ScriptThrow) && error.offset < 0) error.offset = start;
  return error;
}

/** A readable name for a callee in "x is not a function" messages. */
function label(node: Expression): string {
  if (node.type === 'Identifier') return node.name;
  if (node.type === 'Member') return `${label(node.object)}${typeof node.property === 'string' ? `.${node.property}` : '[…]'}`;
  if (node.type === 'Call') return `${label(node.callee)}(…)`;
  if (node.type === 'Literal') return typeof node.value === 'string' ? JSON.stringify(node.value) : String(node.value);
  if (node.type === 'Array') return '[…]';
  if (node.type === 'Object') return '{…}';
  return 'expression';
}

/**
 * Tree-walking evaluation of expressions. Every node costs one step of the budget; statements
 * and function calls are added by the {@link Interpreter} subclass.
 */
export abstract class ExpressionInterpreter implements Runtime {
  protected steps = 0;
  /** Where assignments to undeclared names land (sloppy-mode JavaScript's implicit globals). */
  protected programScope: Scope = new Scope(undefined);

  constructor(protected readonly limits: InterpreterLimits) {}

  abstract call(fn: unknown, args: readonly unknown[]): unknown;

  charge(steps: number): void {
    this.steps += steps;
    if (this.steps > this.limits.maxSteps) throw this.overBudget();
  }

  checkString(s: string): string {
    if (s.length > this.limits.maxStringLength) this.checkStringLength(s.length);
    return s;
  }

  checkStringLength(length: number): void {
    if (length > this.limits.maxStringLength) throw limitFault(`expression exceeded the maximum string length of ${this.limits.maxStringLength}`);
  }

  checkArrayLength(length: number): void {
    if (length > this.limits.maxArrayLength) throw limitFault(`expression exceeded the maximum array length of ${this.limits.maxArrayLength}`);
  }

  protected overBudget(): SandboxFault {
    return limitFault(`expression exceeded the step budget of ${this.limits.maxSteps} steps`);
  }

  evaluate(node: Expression, scope: Scope): unknown {
    if (++this.steps > this.limits.maxSteps) throw this.overBudget();
    switch (node.type) {
      case 'Literal':
        return node.value;
      case 'Identifier': {
        const owner = scope.find(node.name);
        if (owner !== undefined) return owner.vars.get(node.name);
        const global = globalValue(node.name);
        if (global.found) return global.value;
        throw locate(runtimeFault(`ReferenceError: ${node.name} is not defined`), node.start);
      }
      case 'Member':
        return this.evalMember(node, scope);
      case 'Call':
        return this.evalCall(node, scope);
      case 'Chain': {
        const value = this.evaluate(node.expression, scope);
        return value === SHORT ? undefined : value;
      }
      case 'Binary':
        return this.evalBinary(node, scope);
      case 'Logical': {
        const left = this.evaluate(node.left, scope);
        if (node.operator === '&&') return truthy(left) ? this.evaluate(node.right, scope) : left;
        if (node.operator === '||') return truthy(left) ? left : this.evaluate(node.right, scope);
        return left === null || left === undefined ? this.evaluate(node.right, scope) : left;
      }
      case 'Conditional':
        return this.evaluate(truthy(this.evaluate(node.test, scope)) ? node.consequent : node.alternate, scope);
      case 'Unary':
        return this.evalUnary(node, scope);
      case 'Update':
        return this.evalUpdate(node, scope);
      case 'Assignment':
        return this.evalAssignment(node, scope);
      case 'Sequence': {
        let value: unknown;
        for (const expression of node.expressions) value = this.evaluate(expression, scope);
        return value;
      }
      case 'Template':
        return this.evalTemplate(node, scope);
      case 'Array':
        return this.evalArray(node, scope);
      case 'Object':
        return this.evalObject(node, scope);
      case 'Function': {
        if (node.arrow || node.name === undefined) return new ScriptFunction(node, scope);
        // A named function expression sees its own name (for recursion) and nothing leaks out.
        const own = new Scope(scope);
        const fn = new ScriptFunction(node, own);
        own.declare(node.name, fn, true);
        return fn;
      }
    }
  }

  private evalMember(node: MemberNode, scope: Scope): unknown {
    const object = this.evaluate(node.object, scope);
    if (object === SHORT) return SHORT;
    if (node.optional && (object === null || object === undefined)) return SHORT;
    const key = typeof node.property === 'string' ? node.property : this.evaluate(node.property, scope);
    try {
      return getMember(object, key);
    } catch (error) {
      throw locate(error, node.start);
    }
  }

  private evalCall(node: CallNode, scope: Scope): unknown {
    const callee = node.callee;
    try {
      if (callee.type === 'Member') {
        const object = this.evaluate(callee.object, scope);
        if (object === SHORT) return SHORT;
        if (callee.optional && (object === null || object === undefined)) return SHORT;
        const key = typeof callee.property === 'string' ? callee.property : this.evaluate(callee.property, scope);
        if (node.optional) {
          const fn = getMember(object, key);
          if (fn === null || fn === undefined) return SHORT;
          return this.invoke(fn, this.evalArgs(node.args, scope), callee);
        }
        return callMethod(this, object, key, this.evalArgs(node.args, scope), () => label(callee));
      }
      const fn = this.evaluate(callee, scope);
      if (fn === SHORT) return SHORT;
      if (node.optional && (fn === null || fn === undefined)) return SHORT;
      return this.invoke(fn, this.evalArgs(node.args, scope), callee);
    } catch (error) {
      throw locate(error, node.start);
    }
  }

  private invoke(fn: unknown, args: readonly unknown[], callee: Expression): unknown {
    if (!isCallable(fn)) throw runtimeFault(`TypeError: ${label(callee)} is not a function`);
    return this.call(fn, args);
  }

  private evalArgs(nodes: readonly (Expression | SpreadNode)[], scope: Scope): unknown[] {
    const args: unknown[] = [];
    for (const node of nodes) {
      if (node.type !== 'Spread') args.push(this.evaluate(node, scope));
      else for (const item of this.iterate(this.evaluate(node.argument, scope), node.start)) args.push(item);
    }
    return args;
  }

  /** The items of an array or the characters of a string, for spread and for-of. */
  protected iterate(value: unknown, start: number): readonly unknown[] {
    if (Array.isArray(value)) return value;
    if (typeof value === 'string') return [...value];
    throw locate(runtimeFault(`TypeError: ${typeOf(value)} is not iterable`), start);
  }

  private evalBinary(node: BinaryNode, scope: Scope): unknown {
    const l = this.evaluate(node.left, scope);
    const r = this.evaluate(node.right, scope);
    return this.binary(node.operator, l, r, node.start);
  }

  private binary(operator: BinaryOperator, l: unknown, r: unknown, start: number): unknown {
    try {
      const value = applyBinary(operator, l, r);
      return typeof value === 'string' ? this.checkString(value) : value;
    } catch (error) {
      throw locate(error, start);
    }
  }

  private evalUnary(node: UnaryNode, scope: Scope): unknown {
    const argument = node.argument;
    switch (node.operator) {
      case 'typeof':
        // `typeof undeclared` is 'undefined', not a ReferenceError.
        if (argument.type === 'Identifier' && scope.find(argument.name) === undefined && !globalValue(argument.name).found) return 'undefined';
        return typeOf(this.evaluate(argument, scope));
      case 'delete': {
        if (argument.type !== 'Member') return true;
        const object = this.evaluate(argument.object, scope);
        const key = typeof argument.property === 'string' ? argument.property : this.evaluate(argument.property, scope);
        try {
          return deleteMember(object, key);
        } catch (error) {
          throw locate(error, node.start);
        }
      }
    }
    const value = this.evaluate(argument, scope);
    switch (node.operator) {
      case '!': return !truthy(value);
      case '-': return -toNumber(value);
      case '+': return toNumber(value);
      case '~': return ~toNumber(value);
      case 'void': return undefined;
    }
  }

  /** Resolves an assignment target once, so compound assignments read and write the same place. */
  private reference(target: AssignmentNode['target'], scope: Scope): Reference {
    if (target.type === 'Identifier') return { target, scope, owner: scope.find(target.name), object: undefined, key: undefined };
    const object = this.evaluate(target.object, scope);
    const key = typeof target.property === 'string' ? target.property : this.evaluate(target.property, scope);
    return { target, scope, owner: undefined, object, key };
  }

  private read(ref: Reference): unknown {
    if (ref.target.type !== 'Identifier') return getMember(ref.object, ref.key);
    return ref.owner !== undefined ? ref.owner.vars.get(ref.target.name) : this.evaluate(ref.target, ref.scope);
  }

  private write(ref: Reference, value: unknown): void {
    if (ref.target.type !== 'Identifier') setMember(this, ref.object, ref.key, value);
    else this.assignVariable(ref.scope, ref.target.name, value, ref.target.start);
  }

  protected assignVariable(scope: Scope, name: string, value: unknown, start: number): void {
    const owner = scope.find(name) ?? this.programScope;
    if (owner.consts?.has(name) === true) throw locate(runtimeFault(`TypeError: Assignment to constant variable '${name}'`), start);
    owner.vars.set(name, value);
  }

  private evalAssignment(node: AssignmentNode, scope: Scope): unknown {
    try {
      if (node.operator === '=' && node.target.type === 'Identifier') {
        const value = this.evaluate(node.value, scope);
        this.assignVariable(scope, node.target.name, value, node.start);
        return value;
      }
      const ref = this.reference(node.target, scope);
      if (node.operator === '=') {
        const value = this.evaluate(node.value, scope);
        this.write(ref, value);
        return value;
      }
      const current = this.read(ref);
      if (node.operator === '&&=' && !truthy(current)) return current;
      if (node.operator === '||=' && truthy(current)) return current;
      if (node.operator === '??=' && current !== null && current !== undefined) return current;
      const right = this.evaluate(node.value, scope);
      const op = node.operator.slice(0, -1);
      const value = op === '&&' || op === '||' || op === '??' ? right : this.binary(op as BinaryOperator, current, right, node.start);
      this.write(ref, value);
      return value;
    } catch (error) {
      throw locate(error, node.start);
    }
  }

  private evalUpdate(node: UpdateNode, scope: Scope): unknown {
    try {
      const ref = this.reference(node.argument as AssignmentNode['target'], scope);
      const old = toNumber(this.read(ref));
      const next = node.operator === '++' ? old + 1 : old - 1;
      this.write(ref, next);
      return node.prefix ? next : old;
    } catch (error) {
      throw locate(error, node.start);
    }
  }

  private evalTemplate(node: TemplateNode, scope: Scope): string {
    let out = node.quasis[0];
    for (let i = 0; i < node.expressions.length; i++) {
      out += toStr(this.evaluate(node.expressions[i], scope)) + node.quasis[i + 1];
      this.checkString(out);
    }
    return out;
  }

  private evalArray(node: ArrayNode, scope: Scope): unknown[] {
    const out: unknown[] = [];
    for (const element of node.elements) {
      if (element.type !== 'Spread') out.push(this.evaluate(element, scope));
      else for (const item of this.iterate(this.evaluate(element.argument, scope), element.start)) out.push(item);
    }
    this.checkArrayLength(out.length);
    this.charge(out.length >> 4);
    return out;
  }

  private evalObject(node: ObjectNode, scope: Scope): unknown {
    const out = newObject();
    for (const property of node.properties) {
      if (property.type === 'Spread') {
        this.spreadInto(out, this.evaluate(property.argument, scope));
        continue;
      }
      const key = typeof property.key === 'string' ? property.key : toPropertyKey(this.evaluate(property.key, scope));
      if (isForbiddenProperty(key)) throw locate(forbiddenFault(`property name '${key}' is not allowed`), property.start);
      out[key] = this.evaluate(property.value, scope);
    }
    return out;
  }

  private spreadInto(target: Record<string, unknown>, source: unknown): void {
    if (Array.isArray(source) || typeof source === 'string') {
      for (let i = 0; i < source.length; i++) target[String(i)] = source[i];
    } else if (isScriptObject(source)) {
      for (const key of Object.keys(source)) if (hasOwn(source, key) && !isForbiddenProperty(key)) target[key] = source[key];
    }
    this.charge(1);
  }
}
